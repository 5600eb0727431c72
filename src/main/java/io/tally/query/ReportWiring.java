package io.tally.query;

import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.idl.SchemaDirectiveWiring;
import graphql.schema.idl.SchemaDirectiveWiringEnvironment;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * Wires every field marked {@code @report} to the generic report fetcher, so a new report needs
 * SQL and SDL only. The fetcher is looked up lazily because it depends on the report catalog,
 * which is read from the very schema this wiring helps build.
 */
@Configuration(proxyBeanMethods = false)
class ReportWiring {

	private static final String DIRECTIVE = "report";

	@Bean
	RuntimeWiringConfigurer reportDirectiveWiring(ObjectProvider<ReportDataFetcher> fetcher,
			ObjectProvider<ReportSubscriptions> subscriptions) {
		DataFetcher<Object> report = environment -> fetcher.getObject().get(environment);
		DataFetcher<Object> live = environment -> subscriptions.getObject().subscribe(environment);
		return wiring -> wiring.directive(DIRECTIVE, new SchemaDirectiveWiring() {

			@Override
			public GraphQLFieldDefinition onField(SchemaDirectiveWiringEnvironment<GraphQLFieldDefinition> environment) {
				boolean subscription = "Subscription".equals(environment.getFieldsContainer().getName());
				environment.getCodeRegistry()
					.dataFetcher(FieldCoordinates.coordinates(environment.getFieldsContainer(),
							environment.getFieldDefinition()), subscription ? live : report);
				return environment.getElement();
			}

		});
	}

	/** The Subscription twin of every report field, see {@link ReportSubscriptions}. */
	@Bean
	GraphQlSourceBuilderCustomizer reportSubscriptionFields() {
		return builder -> builder
			.configureTypeDefinitions(registry -> ReportSubscriptions.copyReportFields(registry, DIRECTIVE));
	}

}
