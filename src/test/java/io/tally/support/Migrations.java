package io.tally.support;

import org.flywaydb.core.Flyway;

/**
 * Migrates this run's test database from {@code sql/migration}, for tests that need the schema
 * without starting the application. Flyway makes it a no-op when the application already did it.
 */
public final class Migrations {

	private Migrations() {
	}

	public static synchronized TestDatabase migrated() {
		TestDatabase database = TestDatabase.get();
		Flyway.configure()
			.dataSource(database.jdbcUrl(), database.username(), database.password())
			.locations("filesystem:sql/migration")
			.load()
			.migrate();
		return database;
	}

}
