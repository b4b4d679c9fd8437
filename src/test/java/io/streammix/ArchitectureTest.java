package io.streammix;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules that keep the code easy to enter, read from the sources: every main package says in a package-info what it
 * owns, no main source file grows past 400 lines, and the mixer's sub-packages depend on each other one way only (a
 * cycle would mean two packages that are really one, or a class in the wrong place).
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final String ENGINE = "io.streammix.worker.engine";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(" + Pattern.quote(ENGINE) + "(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    @Test
    void everyMainPackageHasAPackageInfo() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                boolean hasJava;
                try (Stream<Path> files = Files.list(d)) {
                    hasJava = files.anyMatch(f -> f.toString().endsWith(".java"));
                }
                if (hasJava && !Files.exists(d.resolve("package-info.java"))) {
                    missing.add(MAIN.relativize(d).toString().replace('/', '.'));
                }
            }
        }
        assertThat(missing).as("packages without a package-info.java").isEmpty();
    }

    @Test
    void noMainSourceFileIsLongerThan400Lines() throws IOException {
        Map<String, Integer> tooLong = new TreeMap<>();
        for (Path f : javaFiles()) {
            int lines = Files.readAllLines(f).size();
            if (lines > 400) {
                tooLong.put(MAIN.relativize(f).toString(), lines);
            }
        }
        assertThat(tooLong).as("main source files over 400 lines").isEmpty();
    }

    @Test
    void theEnginesPackagesDependOnEachOtherOneWayOnly() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path f : javaFiles()) {
            String src = Files.readString(f);
            Matcher p = PACKAGE.matcher(src);
            if (!p.find() || !p.group(1).startsWith(ENGINE)) {
                continue;
            }
            String from = p.group(1);
            Matcher m = IMPORT.matcher(src);
            while (m.find()) {
                if (!m.group(1).equals(from)) {
                    uses.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(m.group(1));
                }
            }
        }
        assertThat(uses).as("the engine's packages and what they import").isNotEmpty();
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new LinkedHashSet<>());
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertThat(cycles).as("import cycles between the engine's packages").isEmpty();
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, uses, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
