package io.tally.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import io.tally.support.IntegrationTestSupport;
import io.tally.support.Prerequisites;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphiQL as a newcomer to the demo meets it, in a real browser: it offers the demo users as the
 * portal does, sends nothing before one is picked (no 401 on opening), and picking one fills the
 * headers so the example query answers at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Prerequisites.Chromium.class)
@Import(GraphiQlBrowserIntegrationTests.DemoUsers.class)
class GraphiQlBrowserIntegrationTests extends IntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ChromeDriver browser;

	/** The demo's sign-in tokens, here signed by the test issuer. */
	@TestConfiguration(proxyBeanMethods = false)
	static class DemoUsers {

		@Bean
		SignInTokens demoUsers() {
			TestIssuer issuer = TestIssuer.get();
			return () -> List.of(new SignInTokens.Token("Portal user of gb-a", issuer.tenantUser("gb-a")),
					new SignInTokens.Token("Admin", issuer.admin()));
		}

	}

	@BeforeAll
	void fixture() throws Exception {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('gb-a', 'GraphiQL A') ON CONFLICT DO NOTHING;
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('gb-a', 1, 'Ann', 'north') ON CONFLICT DO NOTHING;
				INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents)
				  VALUES ('gb-a', 1, 1, '2026-01-05 12:00Z', 'paid', 31400) ON CONFLICT DO NOTHING;
				""").update();
		refreshReport("dailyRevenue");
		assertThat(Paths.get("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium)").exists();
		assertThat(Paths.get("/usr/bin/chromedriver")).as("Debian's chromium-driver").exists();
		ChromeOptions options = new ChromeOptions();
		options.setBinary("/usr/bin/chromium");
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900",
				"--user-data-dir=" + Files.createTempDirectory("tally-chromium"));
		this.browser = new ChromeDriver(
				new ChromeDriverService.Builder().usingDriverExecutable(Paths.get("/usr/bin/chromedriver").toFile()).build(),
				options);
	}

	@AfterAll
	void quit() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void offersTheDemoUsersAndSendsNothingBeforeOneIsPicked() throws Exception {
		this.browser.get("http://127.0.0.1:" + this.port + "/graphiql");
		waitFor("the demo users", "return !document.getElementById('demo-users').hidden");
		waitFor("GraphiQL", "return !!document.querySelector('.graphiql-execute-button')");
		Thread.sleep(1500);
		assertThat(requestsToGraphQl()).as("requests sent before a token was set").isZero();
		this.browser.findElement(By.cssSelector(".graphiql-execute-button")).click();
		waitFor("the message asking for a token", "return document.querySelector('.result-window').innerText.includes('No token yet')");
		assertThat(requestsToGraphQl()).as("requests sent before a token was set").isZero();
		assertThat(new Select(this.browser.findElement(By.id("demo-user"))).getOptions()).extracting(o -> o.getText())
			.containsExactly("pick a demo user…", "Portal user of gb-a", "Admin");

		new Select(this.browser.findElement(By.id("demo-user"))).selectByVisibleText("Portal user of gb-a");
		waitFor("the headers filled in", "return document.querySelector('.graphiql-editor-tool').innerText.includes('Bearer eyJ')"
				+ " || [...document.querySelectorAll('.graphiql-editor')].some(e => e.innerText.includes('Bearer eyJ'))");
		this.browser.findElement(By.cssSelector(".graphiql-execute-button")).click();
		waitFor("the answer", "return document.querySelector('.result-window').innerText.includes('31400')");
		assertThat(this.browser.findElement(By.cssSelector(".result-window")).getText()).contains("\"gb-a\"")
			.doesNotContain("errors");
		screenshot("graphiql-demo-user");
	}

	private long requestsToGraphQl() {
		return (Long) ((JavascriptExecutor) this.browser).executeScript(
				"return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/graphql').length");
	}

	private void waitFor(String what, String script) {
		new WebDriverWait(this.browser, WAIT).withMessage(what)
			.until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(script)));
	}

	private void screenshot(String name) throws Exception {
		Path file = Paths.get("target", name + ".png");
		Files.createDirectories(file.getParent());
		Files.write(file, this.browser.getScreenshotAs(OutputType.BYTES));
	}

}
