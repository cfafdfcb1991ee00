package ladder;

import java.io.PrintStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Runs a Python script inside GraalPy as `python SCRIPT ARGS...` would: sys.argv is SCRIPT ARGS,
 * the script runs as __main__ with the process's environment, stdout and inherited file
 * descriptors (the rung protocol's LADDER_TIMING_FD), and SystemExit becomes the exit status.
 *
 *   GraalpyBench --runtime          prints "GraalPy X (Python Y); Truffle runtime NAME; JIT on|off"
 *                                   and exits 1 when the JIT is off
 *   GraalpyBench SCRIPT ARGS...     refuses to run (exit 1, one line) when the JIT is off, unless
 *                                   LADDER_GRAALPY_INTERPRETER=1 asks for the fallback interpreter
 */
public final class GraalpyBench {
    /** Truffle's name for the runtime that cannot compile (no Graal compiler, no JVMCI). */
    private static final String FALLBACK_RUNTIME = "Interpreted";

    /**
     * The script as __main__, with CPython's exit rules: SystemExit(None) is 0, an int is the status,
     * anything else is printed to stderr and is 1; any other exception prints its traceback and is 1.
     */
    private static final String MAIN = String.join("\n",
            "def _ladder_main():",
            "    import runpy, sys, traceback",
            "    try:",
            "        runpy.run_path(sys.argv[0], run_name='__main__')",
            "        status = 0",
            "    except SystemExit as e:",
            "        status = e.code",
            "        if status is None:",
            "            status = 0",
            "        elif not isinstance(status, int):",
            "            print(status, file=sys.stderr)",
            "            status = 1",
            "    except BaseException:",
            "        traceback.print_exc()",
            "        status = 1",
            "    for stream in (sys.stdout, sys.stderr):",
            "        stream.flush()",
            "    return status",
            "_ladder_main()",
            "");

    private GraalpyBench() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    private static int run(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: GraalpyBench --runtime | SCRIPT [ARGS...]");
            return 2;
        }
        // No warning on stderr for the fallback runtime: the launcher reports it itself, once.
        Engine engine = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
        boolean jit = !FALLBACK_RUNTIME.equals(engine.getImplementationName());
        if (args.length == 1 && args[0].equals("--runtime")) {
            return describe(engine, jit);
        }
        if (!jit && !"1".equals(System.getenv("LADDER_GRAALPY_INTERPRETER"))) {
            System.err.println("Truffle runs on its fallback interpreter (no Graal compiler on the upgrade module "
                    + "path, or JVMCI off): the JIT is off, so this is not the graalpy rung");
            return 1;
        }
        PrintStream out = System.out;
        try (Context context = Context.newBuilder("python")
                .engine(engine)
                .allowAllAccess(true)
                // real file descriptors, so that os.fdopen(LADDER_TIMING_FD) reaches the harness's pipe
                .option("python.PosixModuleBackend", "native")
                // ... which GraalPy warns is not fully supported when embedding: stdio is fds 0-2, as wanted
                .option("log.python.level", "SEVERE")
                .arguments("python", args)
                .out(out)
                .err(System.err)
                .build()) {
            return context.eval("python", MAIN).asInt();
        } catch (PolyglotException e) {
            if (e.isExit()) {
                return e.getExitStatus();
            }
            System.err.println(e.isGuestException() ? e.getMessage() : e.toString());
            return 1;
        } finally {
            out.flush();
            engine.close();
        }
    }

    private static int describe(Engine engine, boolean jit) {
        try (Context context = Context.newBuilder("python").engine(engine).allowAllAccess(true).build()) {
            Value python = context.eval("python", "import platform, sys\n"
                    + "'GraalPy %s (Python %s)' % ('.'.join(map(str, sys.implementation.version[:3])), platform.python_version())");
            System.out.println(python.asString() + "; Truffle runtime "
                    + engine.getImplementationName() + "; JIT " + (jit ? "on" : "off (fallback interpreter)"));
        }
        return jit ? 0 : 1;
    }
}
