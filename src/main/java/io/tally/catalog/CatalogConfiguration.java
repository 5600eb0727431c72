package io.tally.catalog;

import javax.sql.DataSource;

import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.graphql.execution.GraphQlSource;

/**
 * Builds the report catalog once the schema exists and the database is migrated, so a report
 * whose SQL does not match its schema stops start-up instead of failing a caller later.
 */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

	@Bean
	@DependsOnDatabaseInitialization
	ReportCatalog reportCatalog(GraphQlSource graphQlSource, ResourceLoader resourceLoader, DataSource dataSource,
			CatalogProperties properties, ReportPolicyProperties policies) {
		SqlDescriber describer = new SqlDescriber(dataSource, properties.queryRole());
		return new ReportCatalogBuilder(resourceLoader, properties.sqlLocation(), describer, policies.reports())
			.build(graphQlSource.schema());
	}

}
