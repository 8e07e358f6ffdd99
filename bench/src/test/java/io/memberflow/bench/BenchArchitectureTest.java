package io.memberflow.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The bench measures memberflow from outside, through its API and the production jar: of our code
 * it uses the sandbox only. (The other modules' rules are dev's ArchitectureTest.)
 */
@AnalyzeClasses(packages = "io.memberflow", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.memberflow.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule usesNothingOfOursButTheSandbox =
      noClasses()
          .that()
          .resideInAPackage("io.memberflow.bench..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.memberflow.workflows..",
              "io.memberflow.activities..",
              "io.memberflow.service..",
              "io.memberflow.dev..");
}
