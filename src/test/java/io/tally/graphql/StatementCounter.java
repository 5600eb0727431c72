package io.tally.graphql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts the SQL statements a request sends to PostgreSQL on the application's own data source:
 * every statement that touches a tenant (the report transaction's settings, a report view, the
 * tenant directory). Background work (ledger polls, the refresh listener) is left out, so a test
 * can prove a refused request ran no SQL at all.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementCounter {

	private static final Pattern REQUEST_SQL = Pattern.compile("app\\.tenant_id|\\breport\\.|app\\.tenants",
			Pattern.CASE_INSENSITIVE);

	private final AtomicInteger count = new AtomicInteger();

	private final List<String> statements = new CopyOnWriteArrayList<>();

	/** Statements sent so far. */
	public int count() {
		return this.count.get();
	}

	/** The text of every statement counted so far, in order. */
	public List<String> statements() {
		return List.copyOf(this.statements);
	}

	@Bean
	static BeanPostProcessor countingDataSource(StatementCounter counter) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof DataSource dataSource && !(bean instanceof CountingDataSource))
						? new CountingDataSource(dataSource, counter) : bean;
			}

		};
	}

	private void record(Object sql) {
		if (sql instanceof String text && REQUEST_SQL.matcher(text).find()) {
			this.count.incrementAndGet();
			this.statements.add(text);
		}
	}

	static final class CountingDataSource extends DelegatingDataSource {

		private final StatementCounter counter;

		CountingDataSource(DataSource target, StatementCounter counter) {
			super(target);
			this.counter = counter;
		}

		@Override
		public Connection getConnection() throws java.sql.SQLException {
			return proxy(Connection.class, super.getConnection());
		}

		@Override
		public Connection getConnection(String username, String password) throws java.sql.SQLException {
			return proxy(Connection.class, super.getConnection(username, password));
		}

		/** Records the SQL of prepareStatement(sql) and of Statement.execute*(sql). */
		private <T> T proxy(Class<T> type, T target) {
			InvocationHandler handler = (object, method, arguments) -> {
				String name = method.getName();
				if (arguments != null && arguments.length > 0 && (name.startsWith("prepare") || name.startsWith("execute"))) {
					this.counter.record(arguments[0]);
				}
				Object result = invoke(method, target, arguments);
				if (result instanceof Statement statement && !(result instanceof java.sql.PreparedStatement)) {
					return proxy(Statement.class, statement);
				}
				return result;
			};
			return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, handler));
		}

		private static Object invoke(Method method, Object target, Object[] arguments) throws Throwable {
			try {
				return method.invoke(target, arguments);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
