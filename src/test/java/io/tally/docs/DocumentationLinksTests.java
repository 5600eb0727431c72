package io.tally.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file or folder exists and a
 * {@code #fragment} names a heading (as GitHub makes anchors of them) or an explicit anchor of the
 * page it points into.
 */
class DocumentationLinksTests {

	private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s+<?(\\S+?)>?(?:\\s.*)?$", Pattern.MULTILINE);

	private static final Pattern HTML_LINK = Pattern.compile("(?:href|src)=\"([^\"]+)\"");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$", Pattern.MULTILINE);

	private static final String FENCED = "(?ms)^\\s*```.*?^\\s*```[^\\n]*$";

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

	@Test
	void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		List<String> broken = new ArrayList<>();
		for (Path page : pages) {
			broken.addAll(brokenLinks(page));
		}

		assertThat(pages).hasSizeGreaterThan(1);
		assertThat(broken).as("links that lead nowhere").isEmpty();
	}

	@Test
	void makesAnchorsAsGitHubDoes() {
		assertThat(anchors("# Tally\n## How a request is served\n### Abuse: one tenant floods, another is timed\n"
				+ "## `tally.*` properties\n## Notes\n## Notes\n<a id=\"kept\"></a>"))
			.containsExactly("tally", "how-a-request-is-served", "abuse-one-tenant-floods-another-is-timed",
					"tally-properties", "notes", "notes-1", "kept");
	}

	@Test
	void findsAMissingFileAndAMissingHeading(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("a.md"), "# A\n[ok](b.md#b) [gone](c.md) [nowhere](b.md#c) [self](#a)\n"
				+ "```\n[in code](d.md)\n```\n`[inline](e.md)` [web](https://example.com/x)\n");
		Files.writeString(dir.resolve("b.md"), "# B\n");

		assertThat(brokenLinks(dir.resolve("a.md"))).containsExactly(dir.resolve("a.md") + ": c.md",
				dir.resolve("a.md") + ": b.md#c");
	}

	static List<String> brokenLinks(Path page) {
		String text = withoutCode(read(page));
		Set<String> targets = new LinkedHashSet<>();
		for (Pattern pattern : List.of(LINK, REFERENCE, HTML_LINK)) {
			Matcher link = pattern.matcher(text);
			while (link.find()) {
				targets.add(link.group(1));
			}
		}
		List<String> broken = new ArrayList<>();
		for (String target : targets) {
			if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
				continue; // https:, mailto: and the like are not the repository's to keep
			}
			int hash = target.indexOf('#');
			String file = (hash < 0) ? target : target.substring(0, hash);
			Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
			boolean ok = Files.exists(resolved);
			if (ok && hash >= 0) {
				ok = Files.isRegularFile(resolved) && resolved.toString().endsWith(".md")
						&& anchors(read(resolved)).contains(target.substring(hash + 1));
			}
			if (!ok) {
				broken.add(page + ": " + target);
			}
		}
		return broken;
	}

	/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
	static List<String> anchors(String markdown) {
		List<String> anchors = new ArrayList<>();
		Map<String, Integer> seen = new HashMap<>();
		Matcher heading = HEADING.matcher(markdown.replaceAll(FENCED, ""));
		while (heading.find()) {
			String text = heading.group(1).replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
			String slug = text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
			int count = seen.merge(slug, 1, Integer::sum) - 1;
			anchors.add((count == 0) ? slug : slug + "-" + count);
		}
		Matcher explicit = HTML_ANCHOR.matcher(markdown);
		while (explicit.find()) {
			anchors.add(explicit.group(1));
		}
		return anchors;
	}

	/** The text without fenced code blocks and inline code spans, whose brackets are not links. */
	private static String withoutCode(String markdown) {
		String text = markdown.replaceAll(FENCED, "");
		return text.replaceAll("`[^`\\n]*`", "code");
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
