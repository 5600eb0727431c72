package io.tally.support;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Makes every test class's fixture survive Failsafe's rerun of a failed test, whatever way it
 * inserts its rows: it notes which tenants each class made in this run's database (those there
 * after the class and not before it) and, when the same class runs again in this JVM, removes
 * them and all their rows before the class's own {@code @BeforeAll}, so the rerun starts where
 * the first attempt did and reports the test's own failure, not a duplicate key. Registered for
 * every test class through JUnit's extension auto-detection
 * ({@code src/test/resources/junit-platform.properties}); it relies on classes running one at a
 * time, as they do here. It never starts the test database, so tests without one pay nothing.
 */
public final class RerunSafeFixtures implements BeforeAllCallback, AfterAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RerunSafeFixtures.class);

	/** The tenants each class made in its earlier attempts: reruns get new extension instances. */
	private static final Map<Class<?>, Set<String>> made = new ConcurrentHashMap<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		Set<String> before = TestDatabase.started().map(database -> {
			JdbcClient jdbc = jdbc(database);
			Set<String> earlier = made.getOrDefault(testClass, Set.of());
			if (!earlier.isEmpty()) {
				FixtureTenants.remove(jdbc, earlier);
				System.out.println("Rerun of " + testClass.getSimpleName() + ": removed the rows of tenants " + earlier
						+ " that its earlier attempt made");
			}
			return FixtureTenants.ids(jdbc);
		}).orElse(Set.of());
		context.getStore(NAMESPACE).put(testClass, before);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		Set<?> before = context.getStore(NAMESPACE).get(testClass, Set.class);
		TestDatabase.started().ifPresent(database -> {
			Set<String> now = new TreeSet<>(FixtureTenants.ids(jdbc(database)));
			if (before != null) {
				now.removeAll(before);
			}
			made.merge(testClass, now, (earlier, latest) -> {
				Set<String> all = new TreeSet<>(earlier);
				all.addAll(latest);
				return all;
			});
		});
	}

	private static JdbcClient jdbc(TestDatabase database) {
		return JdbcClient.create(new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
	}

}
