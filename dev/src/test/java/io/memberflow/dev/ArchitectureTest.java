package io.memberflow.dev;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture (docs/architecture.md) as rules over the main classes of every module this one
 * sees: all but {@code bench}, which has its own.
 */
@AnalyzeClasses(packages = "io.memberflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String WORKFLOWS = "io.memberflow.workflows..";
  private static final String ACTIVITIES = "io.memberflow.activities..";
  private static final String SERVICE = "io.memberflow.service..";
  private static final String DEV = "io.memberflow.dev..";
  private static final String SANDBOX = "io.memberflow.sandbox..";
  private static final String CORE = "io.memberflow.workflows.connection";

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.memberflow.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule workflowsDependOnNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage(WORKFLOWS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ACTIVITIES, SERVICE, DEV, SANDBOX);

  @ArchTest
  static final ArchRule activitiesDependOnWorkflowsOnly =
      noClasses()
          .that()
          .resideInAPackage(ACTIVITIES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SERVICE, DEV, SANDBOX);

  @ArchTest
  static final ArchRule theServiceNeverDependsOnTheDevelopmentSetupOrTheSandbox =
      noClasses()
          .that()
          .resideInAPackage(SERVICE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(DEV, SANDBOX);

  @ArchTest
  static final ArchRule theSandboxDependsOnNothingOfOurs =
      noClasses()
          .that()
          .resideInAPackage(SANDBOX)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(WORKFLOWS, ACTIVITIES, SERVICE, DEV);

  @ArchTest
  static final ArchRule theConnectionCoreKnowsNoTemporal =
      noClasses()
          .that()
          .resideInAPackage(CORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.temporal..", "com.uber.m3..")
          .because(
              "the connection core is plain Java; its Temporal shell carries its reactions out");

  @ArchTest
  static final ArchRule workflowsUseNothingOfSpringButItsStatemachine =
      noClasses()
          .that()
          .resideInAPackage(WORKFLOWS)
          .should()
          .dependOnClassesThat(
              resideInAPackage("org.springframework..")
                  .and(not(resideInAPackage("org.springframework.statemachine.."))));

  @ArchTest
  static final ArchRule springStatemachineStaysBehindTheLifecycle =
      noClasses()
          .that()
          .resideInAPackage(WORKFLOWS)
          .and()
          .doNotHaveSimpleName("ConnectionLifecycle")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.springframework.statemachine..")
          .because("it is end-of-life upstream: one type keeps it replaceable");
}
