package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.protocol.Api;
import dev.spool.model.protocol.TokenMessages;
import dev.spool.model.protocol.TokenRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spool tokens create|list|revoke|rotate-join}: named client tokens with a role, through
 * the coordinator's tokens API (an admin token). Flags and NAME are checked here first, so the
 * error names what was typed; the coordinator checks them again.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Manage client tokens (read, submit, admin) and rotate the worker join token; needs an admin token.",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class, TokensCommand.RotateJoin.class})
final class TokensCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a named token; its secret is printed this once (the coordinator keeps only its hash).")
    static final class Create implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "NAME", description = "a-z, 0-9, '.', '_', '-'; unique among live tokens.") String name;
        @Option(names = "--role", required = true, paramLabel = "read|submit|admin",
                description = "read: look at jobs, workers, queue and files (dashboards, scrapers); submit: also submit, cancel, retry and upload; admin: also manage tokens.")
        String role;
        @Option(names = "--expires", paramLabel = "DURATION", description = "Expire after this long: 90m, 12h, 30d. Default: never.")
        String expires;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", TokenMessages.checkName("NAME", name));
            body.put("role", TokenRole.parse("--role", role).wire());
            if (expires != null) {
                TokenMessages.parseExpiry("--expires", expires);
                body.put("expires_in", expires.strip());
            }
            JsonNode made = client.api().call("POST", Api.TOKENS, body, ClientCommands.TIMEOUT);
            if (client.json) {
                ClientCommands.print(made);
                return 0;
            }
            System.out.println(made.path("token").asText());
            System.err.println("spool: token '" + made.path("name").asText() + "' (" + made.path("role").asText() + ") made"
                    + (made.has("expires_at") ? ", expires " + made.path("expires_at").asText() : ", does not expire")
                    + "; the secret above is shown only now");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List live tokens: name, role, created, expires, last used (never the secret).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            JsonNode reply = client.api().call("GET", Api.TOKENS, null, ClientCommands.TIMEOUT);
            if (client.json) {
                ClientCommands.print(reply);
                return 0;
            }
            String format = "%-24s %-7s %-21s %-29s %s%n";
            System.out.printf(format, "NAME", "ROLE", "CREATED", "EXPIRES", "LAST USED");
            for (JsonNode t : reply.path("tokens")) {
                String expires = t.path("expires_at").asText("never") + (t.path("expired").asBoolean() ? " (expired)" : "");
                System.out.printf(format, t.path("name").asText(), t.path("role").asText(), t.path("created_at").asText(),
                        expires, t.path("last_used_at").asText("never"));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token by name: refused at once by this coordinator, within 2 s by the others.")
    static final class Revoke implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            JsonNode reply = client.api().call("DELETE", Api.token(TokenMessages.checkName("NAME", name)), null, ClientCommands.TIMEOUT);
            if (client.json) ClientCommands.print(reply);
            else System.out.println("revoked " + reply.path("name").asText() + " at " + reply.path("revoked_at").asText());
            return 0;
        }
    }

    @Command(name = "rotate-join", mixinStandardHelpOptions = true,
            description = "Replace the worker join token and print the new one (shown only now). Registered workers keep their own "
                    + "credentials and carry on; new workers need the new token. DATA/tokens is not rewritten.")
    static final class RotateJoin implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            JsonNode reply = client.api().call("POST", Api.JOIN_ROTATE, null, ClientCommands.TIMEOUT);
            if (client.json) ClientCommands.print(reply);
            else System.out.println(reply.path("join_token").asText());
            return 0;
        }
    }
}
