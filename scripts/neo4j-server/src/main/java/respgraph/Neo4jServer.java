package respgraph;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import inet.ipaddr.IPAddressString;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * A Neo4j Community DBMS reachable only over Bolt on 127.0.0.1, for scripts/neo4j.
 *
 * <p>Usage: {@code Neo4jServer DATA_DIR PORT PAGECACHE}; the password of user neo4j comes from
 * the environment variable NEO4J_PASSWORD, so it never shows in a process list. Prints
 * {@value #READY} once the password is set and Bolt accepts it; runs until SIGTERM.
 */
public final class Neo4jServer {
    static final String READY = "respgraph-neo4j: ready";

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: Neo4jServer DATA_DIR PORT PAGECACHE (e.g. 256m)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCache = ByteUnit.parse(args[2]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("respgraph-neo4j: NEO4J_PASSWORD is not set");
            System.exit(2);
        }

        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms;
        try {
            // The data dir is the DBMS home: databases go to DATA/data, Neo4j's logs to DATA/logs.
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, bolt)
                    .setConfig(BoltConnector.advertised_address, bolt)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    // Server-side routing listens on a second fixed port (7688), which would
                    // stop two servers from running side by side.
                    .setConfig(GraphDatabaseSettings.routing_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // LOAD CSV FROM 'file:///etc/passwd' would let any user, even a read-only
                    // query, read the server's files: no file URLs at all, and were they ever
                    // turned back on, only the data dir's empty import folder.
                    .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                    .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                    // LOAD CSV FROM 'http://…' would make the server fetch from any address,
                    // even in a read-only query: every address is blocked for Cypher.
                    .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                            List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")))
                    // Netty waits out a 5 s quiet period per event loop group on shutdown,
                    // which made every stop take over 10 s.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .build();
        } catch (RuntimeException e) {
            System.err.println("respgraph-neo4j: could not start: " + rootMessage(e));
            e.printStackTrace();
            System.exit(1);
            return;
        }
        // Registered before anything else can fail, so SIGTERM always checkpoints and closes.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "respgraph-neo4j-shutdown"));

        try {
            setInitialPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        } catch (RuntimeException e) {
            // The message can name the rule broken (e.g. the minimum length), never the password.
            System.err.println("respgraph-neo4j: could not set the password of user neo4j: "
                    + rootMessage(e));
            System.exit(1);
        }
        System.out.println(READY);
        System.out.flush();
        stopped.await();
    }

    /**
     * A fresh DBMS creates user neo4j with password "neo4j" that must be changed; set ours then.
     * On later starts the stored password stays (changing it would need the old one anyway).
     */
    private static void setInitialPassword(GraphDatabaseService system, String password) {
        boolean fresh = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                        + "RETURN passwordChangeRequired",
                Map.of(),
                result -> result.hasNext() && (Boolean) result.next().get("passwordChangeRequired"));
        if (fresh) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
