package io.memberflow.service.worker;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param registerSearchAttributes whether the service registers the connection search attributes on
 *     its namespace at start-up (default false): for servers it runs itself. On a cluster the
 *     operator registers them once and the service only checks they are there.
 */
@ConfigurationProperties("memberflow.temporal")
public record TemporalProperties(boolean registerSearchAttributes) {}
