package dev.spool.cli;

import dev.spool.cli.config.ConfigSources;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.model.SpoolError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/** The {@code spool} command: one entry point, a subcommand per job. */
@Command(name = "spool", mixinStandardHelpOptions = true, version = "spool 0.1.0",
        description = "Distributed video transcoding into web-ready HLS ladders.",
        subcommands = {RunCommand.class, VerifyCommand.class, CoordinatorCommand.class, WorkerCommand.class,
                SubmitCommand.class, ClientCommands.Status.class, WaitCommand.class, ClientCommands.Cancel.class, ClientCommands.Retry.class, ClientCommands.Fetch.class,
                ClientCommands.Jobs.class, ClientCommands.Workers.class, WebhooksCommand.class, TokensCommand.class, BenchCommand.class, dev.spool.cli.chaos.ChaosCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Also: spool ffmpeg ARGS... and spool ffprobe ARGS... run the exact binaries Spool uses.",
                "Exit codes: 0 ok, 1 job failed, 2 usage, 3 input problem, 4 output problem,",
                "5 environment (ffmpeg cannot start), 6 verification failed, 130/143 interrupted."})
public final class Spool implements Runnable {
    /** Exit code for a bug in Spool itself (sysexits' EX_SOFTWARE). */
    static final int INTERNAL_ERROR = 70;
    /** The commands whose every option may also come from the environment or a --config file. */
    private static final java.util.Set<String> LONG_RUNNING = java.util.Set.of("coordinator", "worker");

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null)
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT %4$s %5$s%6$s%n");
        if (args.length > 0 && (args[0].equals("ffmpeg") || args[0].equals("ffprobe"))) {
            return passThrough(args[0], Arrays.asList(args).subList(1, args.length));
        }
        CommandLine cli = new CommandLine(new Spool());
        ConfigSources sources;
        try {
            sources = configured(cli, args);
        } catch (SpoolError e) {
            return report(e, cli.getErr());
        }
        cli.setExecutionExceptionHandler((e, line, parsed) -> report(fromConfig(sources, FlagNames.inTermsOf(line.getCommandSpec(), e)), line.getErr()));
        cli.setParameterExceptionHandler((e, ignored) -> {
            String origin = e.getArgSpec() instanceof CommandLine.Model.OptionSpec o ? sources.origin(o.longestName()) : null;
            e.getCommandLine().getErr().println("spool: " + (origin == null ? "" : origin + ": ") + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return SpoolError.Code.INVALID.exitCode();
        });
        return cli.execute(sources.args());
    }

    /** The long-running commands take what was not typed from SPOOL_* variables and a --config file. */
    private static ConfigSources configured(CommandLine cli, String[] args) {
        if (args.length == 0 || !LONG_RUNNING.contains(args[0])) return ConfigSources.none(args);
        return ConfigSources.expand(cli.getSubcommands().get(args[0]).getCommandSpec(), args, System.getenv());
    }

    /** An error about a flag the user did not type says where its value came from. */
    private static Exception fromConfig(ConfigSources sources, Exception e) {
        if (!(e instanceof SpoolError error) || error.field() == null) return e;
        String origin = sources.origin(error.field());
        return origin == null ? e : new SpoolError(error.code(), error.field(), origin + ": " + error.getMessage(), error);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** One line for the person at the terminal, an exit code for scripts; a stack trace only for bugs. */
    static int report(Exception e, PrintWriter err) {
        if (e instanceof SpoolError error) {
            // stopped by Ctrl-C or SIGTERM: the shutdown hook says what was stopped, once (ExitCleanup.sayOnStop)
            if (error.code() == SpoolError.Code.INTERRUPTED && dev.spool.media.ffmpeg.ExitCleanup.shuttingDown()) return error.code().exitCode();
            err.println("spool: " + error.getMessage());
            return error.code().exitCode();
        }
        err.println("spool: internal error: " + e);
        if (System.getenv("SPOOL_DEBUG") != null) e.printStackTrace(err);
        else err.println("(set SPOOL_DEBUG=1 for details)");
        return INTERNAL_ERROR;
    }

    /** Runs Spool's ffmpeg or ffprobe with the user's arguments, attached to this terminal. */
    private static int passThrough(String tool, List<String> args) {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            FfmpegTools tools = FfmpegTools.locate(null);
            ProcessBuilder pb = tool.equals("ffmpeg") ? tools.ffmpeg(args) : tools.ffprobe(args);
            Process process = pb.inheritIO().start();
            int exit = process.waitFor();
            if (exit == 127) {
                // the loader's message went straight to the terminal; run it once more to say what to install
                ToolProcess.run(tool, tool.equals("ffmpeg") ? tools.ffmpeg(List.of("-version")) : tools.ffprobe(List.of("-version")),
                        line -> { });
            }
            return exit;
        } catch (SpoolError e) {
            return report(e, err);
        } catch (java.io.IOException e) {
            err.println("spool: cannot start " + tool + ": " + e.getMessage());
            return SpoolError.Code.ENVIRONMENT.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SpoolError.Code.INTERRUPTED.exitCode();
        }
    }
}
