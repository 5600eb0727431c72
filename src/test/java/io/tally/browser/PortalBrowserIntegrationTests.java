package io.tally.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.Prerequisites;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example portal in a real browser (Debian's headless Chromium): it signs in with a pasted
 * token, its charts show the API's numbers with their freshness line, an admin refresh reaches
 * the open page over the live subscription within seconds, and a second tenant's token shows only
 * that tenant. Screenshots go to {@code target/portal-*.png}; any console error fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Prerequisites.Chromium.class)
@TestPropertySource(properties = "tally.portal.enabled=true")
class PortalBrowserIntegrationTests extends IntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String FROM = "2026-10-01";

	private static final String TO = "2026-10-31";

	private ChromeDriver browser;

	@BeforeAll
	void fixture() throws IOException {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name, time_zone) VALUES
				  ('pb-a', 'Portal Plumbing', 'America/New_York'), ('pb-b', 'Portal Fitness', 'Europe/Oslo');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES
				  ('pb-a', 1, 'Alice Apple', 'north'), ('pb-a', 2, 'Arthur Ash', 'south'), ('pb-b', 1, 'Bodil Berg', 'west');
				INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('pb-a', 1, 'Valve', 1000), ('pb-b', 1, 'Mat', 500);
				INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
				  ('pb-a', 1, 1, '2026-10-03 15:00Z', 'paid', 12000), ('pb-a', 2, 2, '2026-10-10 15:00Z', 'paid', 4500),
				  ('pb-a', 3, 1, '2026-10-12 15:00Z', 'failed', 999), ('pb-b', 1, 1, '2026-10-05 10:00Z', 'paid', 77700);
				INSERT INTO app.order_lines (tenant_id, id, order_id, product_id, quantity, gross_amount_cents) VALUES
				  ('pb-a', 1, 1, 1, 12, 12000), ('pb-a', 2, 2, 1, 4, 4500), ('pb-b', 1, 1, 1, 155, 77700);
				INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
				  ('pb-a', 2026, 10, 20000), ('pb-a', 2026, 11, 15000), ('pb-b', 2026, 10, 50000);
				""").update();
		for (String report : List.of("dailyRevenue", "salesVsTarget", "customerActivity", "regions")) {
			refreshReport(report);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(Prerequisites.CHROMIUM.toString());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600",
				"--user-data-dir=" + Files.createTempDirectory("tally-chromium"));
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		this.browser = new ChromeDriver(
				new ChromeDriverService.Builder().usingDriverExecutable(Prerequisites.CHROMEDRIVER.toFile()).build(),
				options);
	}

	@AfterAll
	void quit() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void showsEachTenantItsOwnNumbersWithFreshnessAndFollowsARefreshLive() throws Exception {
		signIn(this.issuer.tenantUser("pb-a"));
		assertThat(this.browser.findElement(By.id("demo-token")).isDisplayed()).as("no demo tokens outside the demo")
			.isFalse();

		assertChartsMatchTheApi("pb-a");
		assertThat(text("who")).contains("Portal Plumbing", "America/New_York");
		// dailyRevenue is split: its two parts are named while their ages differ in words, which a second boundary decides.
		assertThat(text("revenue-freshness")).matches(
				"(Updated .* ago|Updated just now) · refreshes every 5 minutes( · recent days updated .* ago, older days .* ago)?");
		assertThat(text("target-freshness")).startsWith("Updated ");
		assertThat(text("customers-freshness")).startsWith("Updated ");
		assertThat(text("customers")).contains("Alice Apple", "Arthur Ash").doesNotContain("Bodil Berg");
		assertThat(options("region")).contains("north (1)", "south (1)");
		screenshot("portal-tenant-a");

		this.jdbc.sql("INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) "
				+ "VALUES ('pb-a', 4, 2, '2026-10-20 15:00Z', 'paid', 30000)").update();
		long started = System.nanoTime();
		graphQl().post(this.issuer.admin(), null, "mutation { refreshReport(report: \"dailyRevenue\") { lastOutcome } }");
		waitFor("the chart to show the refreshed revenue",
				"return Chart.getChart('revenue-chart').data.datasets[0].data.reduce((a, b) => a + b, 0) === 465");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertChartsMatchTheApi("pb-a");
		screenshot("portal-tenant-a-after-refresh");

		this.browser.findElement(By.id("sign-out")).click();
		signIn(this.issuer.tenantUser("pb-b"));

		assertChartsMatchTheApi("pb-b");
		assertThat(text("who")).contains("Portal Fitness").doesNotContain("Plumbing");
		assertThat(text("customers")).contains("Bodil Berg").doesNotContain("Alice Apple", "Arthur Ash");
		assertThat(options("region")).containsExactly("All regions", "west (1)");
		screenshot("portal-tenant-b");

		assertThat((String) js("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
			.doesNotContain("eyJ");
		assertNoConsoleErrors();
	}

	private void signIn(String token) {
		this.browser.get("http://127.0.0.1:" + this.port + "/portal/");
		this.browser.findElement(By.id("pasted-token")).sendKeys(token);
		this.browser.findElement(By.id("sign-in-button")).click();
		waitFor("the portal after sign-in", "return !document.getElementById('portal').hidden");
		js("document.getElementById('from').value = arguments[0]; document.getElementById('to').value = arguments[1];",
				FROM, TO);
		this.browser.findElement(By.id("apply")).click();
		waitFor("the month's chart", "const c = Chart.getChart('revenue-chart'); return !!c && c.data.labels.length === 31"
				+ " && document.getElementById('customers-freshness').textContent.length > 0"
				+ " && !!Chart.getChart('target-chart')");
		waitFor("the live subscription", "return document.getElementById('live').classList.contains('on')");
		waitFor("the tenant's regions", "return document.querySelectorAll('#region option').length > 1");
	}

	/** The numbers on the page, read from the charts themselves, are the API's. */
	private void assertChartsMatchTheApi(String tenant) {
		Response revenue = graphQl().post(this.issuer.tenantUser(tenant), null,
				"{ dailyRevenue(from: \"" + FROM + "\", to: \"" + TO + "\") { days { revenueCents } } }");
		List<Integer> cents = revenue.path("$.data.dailyRevenue.days[*].revenueCents");
		waitFor("the revenue chart to equal the API", "return JSON.stringify(Chart.getChart('revenue-chart').data.datasets[0]"
				+ ".data.map(v => Math.round(v * 100))) === arguments[0]", cents.toString().replace(" ", ""));

		Response targets = graphQl().post(this.issuer.tenantUser(tenant), null,
				"{ salesVsTarget(year: 2026) { months { grossSalesCents targetCents } } }");
		List<Integer> sales = targets.path("$.data.salesVsTarget.months[*].grossSalesCents");
		List<Integer> goals = targets.path("$.data.salesVsTarget.months[*].targetCents");
		Object chartSales = js("return Chart.getChart('target-chart').data.datasets[1].data.map(v => Math.round(v * 100))");
		Object chartGoals = js("return Chart.getChart('target-chart').data.datasets[0].data.map(v => v === null ? null : Math.round(v * 100))");
		assertThat(longs(chartSales)).isEqualTo(sales.stream().map(Integer::longValue).toList());
		assertThat(longs(chartGoals)).isEqualTo(goals.stream().map(goal -> (goal != null) ? goal.longValue() : null).toList());
	}

	private static List<Long> longs(Object values) {
		return ((List<?>) values).stream().map(value -> (value != null) ? ((Number) value).longValue() : null).toList();
	}

	private void assertNoConsoleErrors() {
		List<String> errors = this.browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
		assertThat(errors).as("browser console errors").isEmpty();
	}

	private void waitFor(String what, String script, Object... arguments) {
		new WebDriverWait(this.browser, WAIT).withMessage(what)
			.until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(script, arguments)));
	}

	private Object js(String script, Object... arguments) {
		return this.browser.executeScript(script, arguments);
	}

	private String text(String id) {
		return this.browser.findElement(By.id(id)).getText();
	}

	private List<String> options(String id) {
		return this.browser.findElements(By.cssSelector("#" + id + " option")).stream().map(o -> o.getText()).toList();
	}

	private void screenshot(String name) throws IOException {
		Path file = Paths.get("target", name + ".png");
		Files.createDirectories(file.getParent());
		Files.write(file, this.browser.getScreenshotAs(OutputType.BYTES));
	}

}
