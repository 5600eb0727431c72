package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders {@code helm/tally} with the Helm Go library (helm-java, no helm CLI or cluster)
 * and checks the manifests a platform team would review before installing.
 */
class HelmChartTests {

	private static final Path CHART = Path.of("helm/tally");

	/**
	 * helm-java's template returns the release manifest without hooks (the helm CLI appends them
	 * itself), so the migration Job and the test Pod are rendered from a copy whose hook annotations
	 * are renamed to this prefix.
	 */
	private static final String HOOK = "tally.test/hook";

	private static final Path UNHOOKED_CHART = unhookedCopy(Path.of("target/helm-unhooked/tally"));

	private static final Path VALUES = Path.of("src/test/resources/helm");

	private static final String RELEASE = "analytics";

	private static final String FULLNAME = "analytics-tally";

	private static final Pattern PARAM_LINE = Pattern.compile("^\\s*## @param (\\S+)", Pattern.MULTILINE);

	@Test
	void lintPassesInStrictMode() {
		LintResult result = new Helm(CHART).lint().strict().call();

		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void rendersOneChartPrefixedResourcePerTemplate(Manifests manifests) {
		Matcher sources = Pattern.compile("^# Source: (\\S+)$", Pattern.MULTILINE).matcher(manifests.text());
		List<String> templates = new ArrayList<>();
		while (sources.find()) {
			templates.add(sources.group(1));
		}

		assertThat(templates).doesNotHaveDuplicates().hasSameSizeAs(manifests.all());
		assertThat(manifests.all()).extracting(m -> (String) at(m, "metadata", "name")).allMatch(n -> n.startsWith(FULLNAME));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void rendersNonRootReadOnlyContainers(Manifests manifests) {
		assertThat(manifests.podSpecs()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(pod -> {
			assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
			assertThat((Integer) at(pod, "securityContext", "runAsUser")).isPositive();
			assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
			assertThat(containers(pod)).isNotEmpty().allSatisfy(container -> {
				assertThat(at(container, "securityContext", "runAsNonRoot")).isEqualTo(true);
				assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
				assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
				assertThat(list(at(container, "securityContext", "capabilities", "drop"))).containsExactly("ALL");
				assertThat(list(container.get("volumeMounts"))).extracting(m -> map(m).get("mountPath")).contains("/tmp");
			});
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void setsResourceRequestsAndLimitsOnEveryContainer(Manifests manifests) {
		assertThat(manifests.podSpecs().stream().flatMap(pod -> containers(pod).stream())).allSatisfy(container -> {
			assertThat(map(at(container, "resources", "requests"))).containsKeys("cpu", "memory");
			assertThat(map(at(container, "resources", "limits"))).containsKeys("cpu", "memory");
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void probesTheActuatorHealthGroupsOnTheManagementPort(Manifests manifests) {
		Map<String, Object> gateway = manifests.gatewayContainer();

		assertThat(list(gateway.get("ports"))).containsExactly(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
				Map.of("name", "management", "containerPort", 8081, "protocol", "TCP"));
		assertThat(at(gateway, "startupProbe", "httpGet")).isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
		assertThat(at(gateway, "livenessProbe", "httpGet")).isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
		assertThat(at(gateway, "readinessProbe", "httpGet")).isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "management"));
		Map<String, Object> service = manifests.one("Service");
		assertThat(at(service, "spec", "type")).isEqualTo("ClusterIP");
		assertThat(list(at(service, "spec", "ports"))).first()
			.isEqualTo(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
		assertThat(map(at(service, "spec", "selector"))).containsEntry("app.kubernetes.io/component", "gateway");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void readsDatabaseCredentialsOnlyFromTheExistingSecret(Manifests manifests) {
		String secret = (String) at(manifests.values(), "database", "existingSecret");
		List<Map<String, Object>> databaseEnv = manifests.podSpecs().stream()
			.flatMap(pod -> containers(pod).stream())
			.flatMap(container -> list(container.get("env")).stream().map(HelmChartTests::map))
			.filter(env -> ((String) env.get("name")).matches("SPRING_(DATASOURCE|FLYWAY)_(URL|USER|USERNAME|PASSWORD)"))
			.toList();

		assertThat(databaseEnv).hasSizeGreaterThanOrEqualTo(9).allSatisfy(env -> {
			assertThat(env).doesNotContainKey("value");
			assertThat(at(env, "valueFrom", "secretKeyRef", "name")).isEqualTo(secret);
		});
		assertThat(manifests.all()).extracting(m -> m.get("kind")).doesNotContain("Secret");
		manifests.all().forEach(HelmChartTests::assertNoPasswordValue);
		assertNoPasswordValue(manifests.applicationYaml());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void tagsTheImageWithTheChartAppVersionNeverLatest(Manifests manifests) throws IOException {
		Map<String, Object> chart = new Yaml().load(Files.readString(CHART.resolve("Chart.yaml")));
		String expected = at(manifests.values(), "image", "repository") + ":" + chart.get("appVersion");
		List<String> images = manifests.podSpecs().stream()
			.flatMap(pod -> containers(pod).stream())
			.map(container -> (String) container.get("image"))
			.toList();

		assertThat(images).filteredOn(image -> !image.startsWith("curlimages/")).hasSizeGreaterThanOrEqualTo(2).containsOnly(expected);
		assertThat(images).allSatisfy(image -> assertThat(image).matches(".+:[\\w.-]+$").doesNotEndWith(":latest"));
	}

	@Test
	void omitsReplicasFromTheDeploymentWhenTheAutoscalerIsEnabled() {
		Manifests production = render("production");
		Manifests defaults = render("default");

		assertThat(map(production.one("Deployment").get("spec"))).doesNotContainKey("replicas");
		Map<String, Object> hpa = production.one("HorizontalPodAutoscaler");
		assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(at(hpa, "spec", "minReplicas")).isEqualTo(3);
		assertThat(at(hpa, "spec", "scaleTargetRef")).isEqualTo(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", FULLNAME));
		assertThat(at(defaults.one("Deployment"), "spec", "replicas")).isEqualTo(1);
		assertThat(defaults.kinds()).doesNotContain("HorizontalPodAutoscaler").contains("PodDisruptionBudget");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void migratesInAHookJobWithMigrationCredentialsWhileServingPodsUseQueryCredentials(Manifests manifests) {
		Map<String, Object> job = manifests.one("Job");
		Map<String, Object> migrate = containers(map(at(job, "spec", "template", "spec"))).get(0);
		Map<String, Object> gateway = manifests.gatewayContainer();

		assertThat(map(at(job, "metadata", "annotations"))).containsEntry(HOOK, "pre-install,pre-upgrade");
		assertThat(migrate.get("image")).isEqualTo(gateway.get("image"));
		assertThat(list(migrate.get("args"))).containsExactly("--spring.profiles.active=migrate");
		assertThat(secretKeys(migrate)).containsEntry("SPRING_FLYWAY_URL", "database-url")
			.containsEntry("SPRING_FLYWAY_USER", "migration-username")
			.containsEntry("SPRING_FLYWAY_PASSWORD", "migration-password")
			.doesNotContainValue("query-username")
			.doesNotContainValue("query-password");
		assertThat(secretKeys(gateway)).containsEntry("SPRING_DATASOURCE_URL", "database-url")
			.containsEntry("SPRING_DATASOURCE_USERNAME", "query-username")
			.containsEntry("SPRING_DATASOURCE_PASSWORD", "query-password")
			.doesNotContainValue("migration-username")
			.doesNotContainValue("migration-password");
		assertThat(plainEnv(gateway)).containsEntry("SPRING_FLYWAY_ENABLED", "false");
		assertThat(map(at(manifests.one("Deployment"), "spec", "template", "spec"))).doesNotContainKey("initContainers");
	}

	@Test
	void givesServingPodsTheReplicaUrlsFromTheSecretOnlyWhenItsKeyIsSet() {
		Manifests defaults = render("default");
		Manifests withReplicas = render("default", "database.secretKeys.replicaUrls", "replica-urls");

		assertThat(secretKeys(defaults.gatewayContainer())).doesNotContainKey("TALLY_DATASOURCE_REPLICAS");
		assertThat(secretKeys(withReplicas.gatewayContainer())).containsEntry("TALLY_DATASOURCE_REPLICAS", "replica-urls");
		Map<String, Object> migrate = containers(map(at(withReplicas.one("Job"), "spec", "template", "spec"))).get(0);
		assertThat(secretKeys(migrate)).doesNotContainKey("TALLY_DATASOURCE_REPLICAS");
	}

	@Test
	void runsMigrationsInAnInitContainerWhenAskedTo() {
		Manifests manifests = render("default", "migrations.mode", "initContainer");
		Map<String, Object> pod = map(at(manifests.one("Deployment"), "spec", "template", "spec"));
		Map<String, Object> migrate = map(list(pod.get("initContainers")).get(0));

		assertThat(manifests.kinds()).doesNotContain("Job");
		assertThat(list(migrate.get("args"))).containsExactly("--spring.profiles.active=migrate");
		assertThat(secretKeys(migrate)).containsEntry("SPRING_FLYWAY_USER", "migration-username").doesNotContainValue("query-password");
		assertThat(plainEnv(manifests.gatewayContainer())).containsEntry("SPRING_FLYWAY_ENABLED", "false");
	}

	@Test
	void letsServingPodsMigrateWithMigrationCredentialsInAppMode() {
		Manifests manifests = render("default", "migrations.mode", "app");
		Map<String, Object> gateway = manifests.gatewayContainer();

		assertThat(manifests.kinds()).doesNotContain("Job");
		assertThat(plainEnv(gateway)).containsEntry("SPRING_FLYWAY_ENABLED", "true");
		assertThat(secretKeys(gateway)).containsEntry("SPRING_DATASOURCE_USERNAME", "query-username")
			.containsEntry("SPRING_FLYWAY_USER", "migration-username")
			.containsEntry("SPRING_FLYWAY_PASSWORD", "migration-password");
	}

	@Test
	void mountsStructuredLoggingAndTallySettingsAsApplicationYaml() {
		Manifests defaults = render("default");
		Map<String, Object> config = defaults.applicationYaml();

		assertThat(at(config, "logging", "structured", "format", "console")).isEqualTo("ecs");
		assertThat(map(at(config, "tally", "tenancy"))).containsExactlyInAnyOrderEntriesOf(
				Map.of("required-scope", "analytics:read", "admin-role", "analytics-admin", "tenant-header", "X-Tenant-Id"));
		assertThat(at(config, "tally", "query", "statement-timeout")).isEqualTo("5s");
		assertThat(map(at(config, "tally", "cache"))).as("budget left to its share of the heap").isEmpty();
		assertThat(at(config, "tally", "freshness", "poll-interval")).isEqualTo("30s");
		assertThat(plainEnv(defaults.gatewayContainer())).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/");
		assertThat(list(defaults.gatewayContainer().get("volumeMounts"))).contains(Map.of("name", "config", "mountPath", "/config", "readOnly", true));

		Map<String, Object> production = render("production").applicationYaml();
		assertThat(at(production, "server", "tomcat", "threads", "max")).isEqualTo(100);
		assertThat(at(production, "tally", "cache", "max-bytes")).isEqualTo("512MB");
		assertThat(at(production, "tally", "query", "statement-timeout")).isEqualTo("3s");
		assertThat(at(production, "tally", "tenancy", "required-scope")).isEqualTo("analytics:read");
	}

	@Test
	void passesTheIdentityProviderToSpringSecurity() {
		Manifests production = render("production");

		assertThat(plainEnv(production.gatewayContainer()))
			.containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "https://login.example.com/realms/analytics")
			.containsEntry("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "tally,analytics-api")
			.doesNotContainKey("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI");
	}

	@Test
	void restrictsTrafficAndExposesMetricsOnlyWhenEnabled() {
		Manifests production = render("production");
		Map<String, Object> policy = production.one("NetworkPolicy");
		Map<String, Object> ingress = map(list(at(policy, "spec", "ingress")).get(0));
		List<Object> egress = list(at(policy, "spec", "egress"));

		assertThat(list(ingress.get("ports"))).containsExactly(Map.of("port", "http", "protocol", "TCP"));
		assertThat(map(list(ingress.get("from")).get(0))).containsEntry("namespaceSelector",
				Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
		assertThat(egress).contains(Map.of("ports", List.of(Map.of("port", 53, "protocol", "UDP"), Map.of("port", 53, "protocol", "TCP"))),
				Map.of("ports", List.of(Map.of("port", 5432, "protocol", "TCP")), "to", List.of(Map.of("ipBlock", Map.of("cidr", "10.20.0.0/16")))));
		Map<String, Object> metrics = map(list(at(policy, "spec", "ingress")).get(1));
		assertThat(list(metrics.get("ports"))).containsExactly(Map.of("port", "management", "protocol", "TCP"));
		Map<String, Object> endpoint = map(list(at(production.one("ServiceMonitor"), "spec", "endpoints")).get(0));
		assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
		assertThat(list(at(production.one("Service"), "spec", "ports")))
			.contains(Map.of("name", "management", "port", 8081, "targetPort", "management", "protocol", "TCP"));
		assertThat(render("default").kinds()).doesNotContain("NetworkPolicy", "ServiceMonitor");
	}

	@Test
	void sendsSpansToTheCollectorOnlyWhenAnEndpointIsSet() {
		Manifests traced = render("production", "tracing.otlpEndpoint", "http://otel-collector.observability:4318/v1/traces",
				"tracing.samplingProbability", "0.25");

		assertThat(plainEnv(traced.gatewayContainer()))
			.containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "http://otel-collector.observability:4318/v1/traces")
			.containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.25")
			.containsEntry("TALLY_TRACING_TENANT_ATTRIBUTE", "false");
		assertThat(list(at(traced.one("NetworkPolicy"), "spec", "egress")))
			.contains(Map.of("ports", List.of(Map.of("port", 4318, "protocol", "TCP"))));
		Manifests untraced = render("production");
		assertThat(plainEnv(untraced.gatewayContainer())).doesNotContainKeys("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
				"MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "TALLY_TRACING_TENANT_ATTRIBUTE");
		assertThat(list(at(untraced.one("NetworkPolicy"), "spec", "egress")))
			.doesNotContain(Map.of("ports", List.of(Map.of("port", 4318, "protocol", "TCP"))));
	}

	@Test
	void shipsTheGrafanaDashboardToTheSidecarOnlyWhenEnabled() throws IOException {
		Map<String, Object> dashboard = render("production").all()
			.stream()
			.filter(m -> (FULLNAME + "-dashboard").equals(at(m, "metadata", "name")))
			.findFirst()
			.orElseThrow();

		assertThat(dashboard).containsEntry("kind", "ConfigMap");
		assertThat(map(at(dashboard, "metadata", "labels"))).containsEntry("grafana_dashboard", "1");
		assertThat(at(dashboard, "metadata", "namespace")).isEqualTo("monitoring");
		assertThat(map(at(dashboard, "metadata", "annotations"))).containsEntry("grafana_folder", "Analytics");
		assertThat(new Yaml().load((String) at(dashboard, "data", "tally.json")).toString())
			.isEqualTo(new Yaml().load(Files.readString(CHART.resolve("dashboards/tally.json"))).toString())
			.contains("tally_cache_gets_total");
		assertThat(render("default").all()).noneMatch(m -> (FULLNAME + "-dashboard").equals(at(m, "metadata", "name")));
	}

	@Test
	void sendsOneGraphQLQueryFromTheHelmTestHook() {
		Map<String, Object> test = render("default").one("Pod");
		Map<String, Object> curl = containers(map(test.get("spec"))).get(0);

		assertThat(map(at(test, "metadata", "annotations"))).containsEntry(HOOK, "test");
		assertThat(plainEnv(curl)).containsEntry("TALLY_URL", "http://" + FULLNAME + ":8080/graphql");
		assertThat(String.join("\n", list(curl.get("command")).stream().map(String::valueOf).toList()))
			.contains("--data '{\"query\":\"{ __typename }\"}'")
			.contains("expected=401")
			.contains("www-authenticate: bearer");
	}

	@Test
	void rejectsInvalidValuesThroughTheSchema() {
		assertThatThrownBy(() -> render("invalid"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("values don't meet the specifications of the schema")
			.hasMessageContaining("- replicaCount: Invalid type. Expected: integer, given: string")
			.hasMessageContaining("- migrations.mode: migrations.mode must be one of the following")
			.hasMessageContaining("- image.tag:");
	}

	@Test
	void documentsEveryValueWithAParamLine() throws IOException {
		String text = Files.readString(CHART.resolve("values.yaml"));
		Set<String> documented = new TreeSet<>();
		Matcher params = PARAM_LINE.matcher(text);
		while (params.find()) {
			documented.add(params.group(1));
		}
		Set<String> leaves = new TreeSet<>();
		collectLeaves("", new Yaml().load(text), documented, leaves);

		assertThat(documented).isEqualTo(leaves);
	}

	static Stream<Named<Manifests>> valueSets() {
		return Stream.of(Named.of("default values", render("default")),
				Named.of("production values", render("production")));
	}

	/**
	 * Renders the chart like {@code helm template analytics helm/tally -n analytics -f values-NAME.yaml --set KEY=VALUE},
	 * without a values file for "default".
	 */
	private static Manifests render(String valueSet, String... keysAndValues) {
		TemplateCommand template = new Helm(UNHOOKED_CHART).template().withName(RELEASE).withNamespace(RELEASE);
		Map<String, Object> values = new LinkedHashMap<>(map(new Yaml().load(read(CHART.resolve("values.yaml")))));
		if (!valueSet.equals("default")) {
			Path file = VALUES.resolve("values-" + valueSet + ".yaml");
			template.withValuesFile(file);
			mergeInto(values, map(new Yaml().load(read(file))));
		}
		for (int i = 0; i < keysAndValues.length; i += 2) {
			template.set(keysAndValues[i], keysAndValues[i + 1]);
		}
		String text = template.call();
		List<Map<String, Object>> documents = new ArrayList<>();
		new Yaml().loadAll(text).forEach(document -> {
			if (document != null) {
				documents.add(map(document));
			}
		});
		return new Manifests(valueSet, text, documents, values);
	}

	private static void mergeInto(Map<String, Object> target, Map<String, Object> source) {
		source.forEach((key, value) -> {
			if (value instanceof Map<?, ?> && target.get(key) instanceof Map<?, ?>) {
				Map<String, Object> nested = new LinkedHashMap<>(map(target.get(key)));
				mergeInto(nested, map(value));
				target.put(key, nested);
			}
			else {
				target.put(key, value);
			}
		});
	}

	private static Path unhookedCopy(Path target) {
		if (Files.exists(target)) {
			try (Stream<Path> stale = Files.walk(target)) {
				stale.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Path copy = target.resolve(CHART.relativize(file).toString());
				Files.createDirectories(copy.getParent());
				Files.writeString(copy, read(file).replace("helm.sh/hook", HOOK));
			}
			return target;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Every value path, a documented map (such as a label map with defaults) counting as one value. */
	private static void collectLeaves(String prefix, Object node, Set<String> documented, Set<String> leaves) {
		if (node instanceof Map<?, ?> values && !values.isEmpty() && !documented.contains(prefix)) {
			values.forEach((key, value) -> collectLeaves(prefix.isEmpty() ? key.toString() : prefix + "." + key, value,
					documented, leaves));
		}
		else {
			leaves.add(prefix);
		}
	}

	private static void assertNoPasswordValue(Object node) {
		if (node instanceof Map<?, ?> values) {
			values.forEach((key, value) -> {
				assertThat(key.toString().toLowerCase().contains("password") && !(value instanceof Map<?, ?>))
					.as("plain value for %s", key)
					.isFalse();
				assertNoPasswordValue(value);
			});
		}
		else if (node instanceof List<?> items) {
			items.forEach(HelmChartTests::assertNoPasswordValue);
		}
	}

	private static Map<String, String> secretKeys(Map<String, Object> container) {
		Map<String, String> keys = new LinkedHashMap<>();
		list(container.get("env")).stream().map(HelmChartTests::map).filter(env -> env.containsKey("valueFrom"))
			.forEach(env -> keys.put((String) env.get("name"), (String) at(env, "valueFrom", "secretKeyRef", "key")));
		return keys;
	}

	private static Map<String, String> plainEnv(Map<String, Object> container) {
		Map<String, String> values = new LinkedHashMap<>();
		list(container.get("env")).stream().map(HelmChartTests::map).filter(env -> env.containsKey("value"))
			.forEach(env -> values.put((String) env.get("name"), (String) env.get("value")));
		return values;
	}

	private static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
		return Stream.concat(list(podSpec.get("initContainers")).stream(), list(podSpec.get("containers")).stream())
			.map(HelmChartTests::map)
			.toList();
	}

	private static Object at(Object node, String... path) {
		Object current = node;
		for (String key : path) {
			current = (current instanceof Map<?, ?> values) ? values.get(key) : null;
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		return (node != null) ? (Map<String, Object>) node : Map.of();
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object node) {
		return (node != null) ? (List<Object>) node : List.of();
	}

	/** The documents of one {@code helm template} run and the values it was rendered with. */
	record Manifests(String name, String text, List<Map<String, Object>> all, Map<String, Object> values) {

		List<String> kinds() {
			return this.all.stream().map(m -> (String) m.get("kind")).toList();
		}

		Map<String, Object> one(String kind) {
			List<Map<String, Object>> found = this.all.stream().filter(m -> kind.equals(m.get("kind"))).toList();
			assertThat(found).as("%s in %s values", kind, this.name).hasSize(1);
			return found.get(0);
		}

		List<Map<String, Object>> podSpecs() {
			return this.all.stream().map(m -> switch ((String) m.get("kind")) {
				case "Deployment", "Job" -> map(at(m, "spec", "template", "spec"));
				case "Pod" -> map(m.get("spec"));
				default -> null;
			}).filter(Objects::nonNull).toList();
		}

		Map<String, Object> gatewayContainer() {
			return map(list(at(one("Deployment"), "spec", "template", "spec", "containers")).get(0));
		}

		Map<String, Object> applicationYaml() {
			Map<String, Object> configMap = this.all.stream()
				.filter(m -> "ConfigMap".equals(m.get("kind")) && FULLNAME.equals(at(m, "metadata", "name")))
				.findFirst()
				.orElseThrow();
			return new Yaml().load((String) at(configMap, "data", "application.yaml"));
		}

		@Override
		public String toString() {
			return this.name + " values";
		}

	}

}
