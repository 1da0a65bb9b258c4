/*
 * Helper for ../../mvnw, used only when the pinned Maven distribution is not
 * unpacked yet. It is run with the JDK's single-file source launcher (JDK 11+),
 * so it needs no build step and no dependencies:
 *
 *   java Download.java URL OUT [USER PASS]   download URL to the file OUT
 *   java Download.java --sha512 FILE         print the SHA-512 of FILE (lowercase hex)
 *   java Download.java --entry ZIP ENTRY     copy one entry of a zip/jar file to stdout
 *   java Download.java --settings FILE...    print what mvnw needs from Maven settings files
 *
 * Download: follows redirects (never from https to http), fails on any non-2xx
 * status, sends HTTP basic auth pre-emptively, but only to the origin of URL.
 * Credentials come from USER/PASS, else from the environment variables
 * MVNW_USERNAME/MVNW_PASSWORD (so they do not show up in the process list),
 * else from user info in URL (https://user:pass@repo.example.invalid/maven2/...).
 * Proxies: the JDK's http(s).proxyHost system properties, or the environment
 * variables https_proxy/http_proxy/no_proxy (no proxy authentication).
 *
 * Settings: prints key=value lines (see printSettings) for the first of the given
 * files to define each item, i.e. pass the user settings before the global ones.
 */

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

public class Download {

    /** An expected failure: reported as one line, without a stack trace. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        try {
            if (args.length == 2 && args[0].equals("--sha512")) {
                System.out.println(sha512(Paths.get(args[1])));
            } else if (args.length == 3 && args[0].equals("--entry")) {
                copyEntry(args[1], args[2], System.out);
            } else if (args.length >= 1 && args[0].equals("--settings")) {
                printSettings(List.of(args).subList(1, args.length));
            } else if ((args.length == 2 || args.length == 4) && !args[0].startsWith("--")) {
                String user = args.length == 4 ? args[2] : System.getenv("MVNW_USERNAME");
                String pass = args.length == 4 ? args[3] : System.getenv("MVNW_PASSWORD");
                download(args[0], Paths.get(args[1]), user, pass);
            } else {
                System.err.println("usage: java Download.java URL OUT [USER PASS]\n"
                        + "       java Download.java --sha512 FILE\n"
                        + "       java Download.java --entry ZIP ENTRY\n"
                        + "       java Download.java --settings FILE...");
                System.exit(2);
            }
            System.out.flush();
        } catch (Failure e) {
            System.err.println("mvnw: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("mvnw: " + e);
            System.exit(1);
        }
    }

    // ------------------------------------------------------------------ download

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@");

    static void download(String url, Path out, String user, String pass) throws Exception {
        Matcher m = USER_INFO.matcher(url);
        if (m.find()) {
            String info = m.group(2);
            url = m.group(1) + url.substring(m.end());
            if (user == null || user.isEmpty()) {
                int colon = info.indexOf(':');
                user = percentDecode(colon < 0 ? info : info.substring(0, colon));
                pass = colon < 0 ? "" : percentDecode(info.substring(colon + 1));
            }
        }
        String auth = null;
        if (user != null && !user.isEmpty()) {
            String pair = user + ":" + (pass == null ? "" : pass);
            auth = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30));
        ProxySelector proxies = proxiesFromEnvironment();
        if (proxies != null) {
            builder.proxy(proxies);
        }
        HttpClient client = builder.build();

        URI start = URI.create(url);
        for (int attempt = 1; ; attempt++) {
            try {
                fetch(client, start, auth, out);
                return;
            } catch (IOException e) {
                if (attempt >= 3) {
                    throw new Failure("download of " + start + " failed: " + e);
                }
                Thread.sleep(1000L * attempt);
            }
        }
    }

    private static void fetch(HttpClient client, URI start, String auth, Path out) throws Exception {
        String origin = origin(start);
        URI uri = start;
        for (int hops = 0; hops < 10; hops++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .GET()
                    .timeout(Duration.ofMinutes(10))
                    .header("User-Agent", "mvnw (Java " + System.getProperty("java.version") + ")");
            if (auth != null && origin(uri).equals(origin)) {
                request.header("Authorization", auth);
            }
            HttpResponse<InputStream> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    String location = response.headers().firstValue("Location")
                            .orElseThrow(() -> new Failure("HTTP " + status + " without Location for " + start));
                    URI next = uri.resolve(location);
                    if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                        throw new Failure("refusing redirect from https to " + next.getScheme() + " for " + start);
                    }
                    uri = next;
                    continue;
                }
                if (status < 200 || status > 299) {
                    throw new Failure("HTTP " + status + " for " + uri
                            + (status == 401 || status == 403 ? " (check the credentials)" : ""));
                }
                Files.copy(body, out, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
        }
        throw new Failure("too many redirects for " + start);
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = scheme.equals("https") ? 443 : 80;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    private static String percentDecode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length
                    && Character.digit(bytes[i + 1], 16) >= 0 && Character.digit(bytes[i + 2], 16) >= 0) {
                decoded.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                decoded.write(bytes[i]);
            }
        }
        return new String(decoded.toByteArray(), StandardCharsets.UTF_8);
    }

    /** https_proxy / http_proxy / no_proxy, as curl and wget understand them; null if none is set. */
    private static ProxySelector proxiesFromEnvironment() {
        String https = env("https_proxy");
        String http = env("http_proxy");
        if (https == null && http == null) {
            return null;
        }
        String noProxy = env("no_proxy");
        ProxySelector fallback = ProxySelector.getDefault();
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
                if (noProxy != null) {
                    for (String entry : noProxy.split(",")) {
                        String e = entry.trim().toLowerCase(Locale.ROOT);
                        if (e.startsWith("*")) {
                            e = e.substring(1);
                        }
                        if (e.equals("*") || (!e.isEmpty() && (host.equals(e.replaceFirst("^\\.", ""))
                                || host.endsWith(e.startsWith(".") ? e : "." + e)))) {
                            return List.of(Proxy.NO_PROXY);
                        }
                    }
                }
                String proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
                if (proxy == null) {
                    return fallback != null ? fallback.select(uri) : List.of(Proxy.NO_PROXY);
                }
                URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
                int port = p.getPort() > 0 ? p.getPort() : 80;
                return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // nothing to remember
            }
        };
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            value = System.getenv(name.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isEmpty() ? null : value;
    }

    // ------------------------------------------------------------- sha512, entry

    static String sha512(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-512");
        byte[] buffer = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : digest.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    static void copyEntry(String zip, String name, PrintStream out) throws Exception {
        try (ZipFile file = new ZipFile(zip)) {
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                throw new Failure("no entry " + name + " in " + zip);
            }
            try (InputStream in = file.getInputStream(entry)) {
                in.transferTo(out);
            }
        }
        out.flush();
    }

    // ------------------------------------------------------------------ settings

    /**
     * Prints, for the given settings files (user settings first):
     * <pre>
     * localRepository=PATH              first non-empty localRepository
     * mirror.id=ID                      the mirror Maven would use for "central", if any
     * mirror.url=URL
     * mirror.blocked=true|false
     * mirror.source=FILE                the settings file that defines it
     * server.username=NAME              credentials of the server with the mirror's id
     * server.password=PASSWORD
     * server.passwordEncrypted=true|false
     * </pre>
     * ${env.NAME} and ${system.property} expressions are interpolated.
     */
    static void printSettings(List<String> files) throws Exception {
        String localRepository = null;
        List<Map<String, String>> mirrors = new ArrayList<>();
        Map<String, Map<String, String>> servers = new LinkedHashMap<>();

        for (String name : files) {
            Path path = Paths.get(name);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            Element root;
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                factory.setExpandEntityReferences(false);
                factory.setXIncludeAware(false);
                root = factory.newDocumentBuilder().parse(path.toFile()).getDocumentElement();
            } catch (Exception e) {
                throw new Failure("cannot parse " + path + ": " + e.getMessage());
            }
            String repo = text(root, "localRepository");
            if (localRepository == null && !repo.isEmpty()) {
                localRepository = interpolate(repo);
            }
            for (Element mirror : children(child(root, "mirrors"), "mirror")) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("id", interpolate(text(mirror, "id")));
                m.put("url", interpolate(text(mirror, "url")));
                m.put("mirrorOf", interpolate(text(mirror, "mirrorOf")));
                m.put("blocked", String.valueOf(Boolean.parseBoolean(text(mirror, "blocked"))));
                m.put("source", path.toString());
                mirrors.add(m);
            }
            for (Element server : children(child(root, "servers"), "server")) {
                Map<String, String> s = new LinkedHashMap<>();
                s.put("username", interpolate(text(server, "username")));
                s.put("password", interpolate(text(server, "password")));
                servers.putIfAbsent(interpolate(text(server, "id")), s);
            }
        }

        if (localRepository != null) {
            print("localRepository", localRepository);
        }
        Map<String, String> mirror = selectCentralMirror(mirrors);
        if (mirror != null) {
            print("mirror.id", mirror.get("id"));
            print("mirror.url", mirror.get("url"));
            print("mirror.blocked", mirror.get("blocked"));
            print("mirror.source", mirror.get("source"));
            Map<String, String> server = servers.get(mirror.get("id"));
            if (server != null) {
                print("server.username", server.get("username"));
                print("server.password", server.get("password"));
                print("server.passwordEncrypted", String.valueOf(looksEncrypted(server.get("password"))));
            }
        }
    }

    /** Maven's mirror selection for the repository "central": exact id first, then patterns, in order. */
    private static Map<String, String> selectCentralMirror(List<Map<String, String>> mirrors) {
        for (Map<String, String> m : mirrors) {
            if (m.get("mirrorOf").equals("central") && !m.get("url").isEmpty()) {
                return m;
            }
        }
        for (Map<String, String> m : mirrors) {
            if (coversCentral(m.get("mirrorOf")) && !m.get("url").isEmpty()) {
                return m;
            }
        }
        return null;
    }

    private static boolean coversCentral(String mirrorOf) {
        boolean result = false;
        for (String pattern : mirrorOf.split(",")) {
            pattern = pattern.trim();
            if (pattern.equals("!central")) {
                return false;
            } else if (pattern.equals("central")) {
                return true;
            } else if (pattern.equals("*") || pattern.equals("external:*")) {
                result = true; // keep looking: a later "!central" still excludes it
            }
        }
        return result;
    }

    /** Maven's encrypted passwords are written {...}; a ${...} expression is not one. */
    private static boolean looksEncrypted(String password) {
        return Pattern.compile("(?<![\\\\$])\\{[^{}]*(?<!\\\\)\\}").matcher(password).find();
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]+)\\}");

    private static String interpolate(String value) {
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder result = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String key = m.group(1);
            String replacement = key.startsWith("env.") ? System.getenv(key.substring(4)) : System.getProperty(key);
            result.append(value, last, m.start()).append(replacement != null ? replacement : m.group());
            last = m.end();
        }
        return result.append(value.substring(last)).toString();
    }

    private static void print(String key, String value) {
        System.out.println(key + "=" + value.replace("\r", "").replace("\n", ""));
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                String local = n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
                if (local.equals(name)) {
                    result.add((Element) n);
                }
            }
        }
        return result;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }
}
