package io.tally.query;

import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.idl.SchemaDirectiveWiring;
import graphql.schema.idl.SchemaDirectiveWiringEnvironment;

import org.springframework.beans.factory.ObjectProvider;
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

	@Bean
	RuntimeWiringConfigurer reportDirectiveWiring(ObjectProvider<ReportDataFetcher> fetcher) {
		DataFetcher<Object> report = environment -> fetcher.getObject().get(environment);
		return wiring -> wiring.directive("report", new SchemaDirectiveWiring() {

			@Override
			public GraphQLFieldDefinition onField(SchemaDirectiveWiringEnvironment<GraphQLFieldDefinition> environment) {
				environment.getCodeRegistry()
					.dataFetcher(FieldCoordinates.coordinates(environment.getFieldsContainer(),
							environment.getFieldDefinition()), report);
				return environment.getElement();
			}

		});
	}

}
