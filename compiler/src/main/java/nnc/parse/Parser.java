package nnc.parse;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.grammar.NnLexer;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The parse stage: .nn text to {@link Ast}. Syntax errors go to the reporter, as many as ANTLR's
 * recovery finds in one run; the AST is built only from an error-free parse.
 */
public final class Parser {
    /** Deeper nesting of parentheses than this is refused before parsing: recursion has limits. */
    public static final int MAX_NESTING = 200;

    /** The language's keywords: they cannot name anything. */
    public static final java.util.Set<String> RESERVED =
            java.util.Set.of("model", "input", "target", "param", "init", "output", "loss", "train", "const", "repeat");

    private Parser() {}

    /** The file's model, or null after reporting syntax errors. */
    public static Ast.Model parse(Source source, Reporter reporter) {
        int before = reporter.errorCount();
        NnLexer lexer = new NnLexer(CharStreams.fromString(source.text(), source.path()));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!nestingFits(tokens.getTokens(), source, reporter)) {
            return null;
        }
        NnParser parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(new Listener(source, reporter));
        NnParser.ModelContext tree;
        try {
            tree = parser.model();
        } catch (StackOverflowError e) {
            // Brackets are bounded above; long chains of '-' or '^' recurse in the parser too.
            Token t = parser.getCurrentToken();
            reporter.error(Code.E401, source, t.getLine(), t.getCharPositionInLine() + 1, 1, TOO_DEEP);
            return null;
        }
        if (reporter.errorCount() > before) {
            return null;
        }
        Deepest deepest = deepestDeclaration(tree);
        if (deepest.depth() > MAX_DEPTH) {
            Token t = deepest.declaration().getStart();
            reporter.error(Code.E401, source, t.getLine(), t.getCharPositionInLine() + 1, Math.max(1, t.getText().length()), TOO_DEEP);
            return null;
        }
        try {
            Ast.Model model = new AstBuilder(source, reporter).model(tree);
            return reporter.errorCount() > before ? null : model;
        } catch (StackOverflowError e) {
            Token t = deepest.declaration().getStart(); // only if the stack is very small: MAX_DEPTH fits a usual one
            reporter.error(Code.E401, source, t.getLine(), t.getCharPositionInLine() + 1, Math.max(1, t.getText().length()), TOO_DEEP);
            return null;
        }
    }

    /**
     * One expression on its own, such as the value of {@code nnc train --optimizer}, or null after
     * reporting syntax errors.
     */
    public static Ast.Expr parseExpression(Source source, Reporter reporter) {
        int before = reporter.errorCount();
        NnLexer lexer = new NnLexer(CharStreams.fromString(source.text(), source.path()));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (!nestingFits(tokens.getTokens(), source, reporter)) {
            return null;
        }
        NnParser parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(new Listener(source, reporter));
        try {
            NnParser.ExpressionContext tree = parser.expression();
            if (reporter.errorCount() > before) {
                return null;
            }
            Ast.Expr e = new AstBuilder(source, reporter).expr(tree.expr());
            return reporter.errorCount() > before ? null : e;
        } catch (StackOverflowError e) {
            reporter.error(Code.E401, source, 1, 1, 1, "the expression is nested too deeply");
            return null;
        }
    }

    /**
     * Levels of parse tree a declaration may have: later stages walk expressions recursively. A
     * chain of 1,000 additions is about as deep; a real model's expressions are a few dozen.
     */
    public static final int MAX_DEPTH = 2000;

    static final String TOO_DEEP = "expression too long or nested too deeply to compile; split it into named values";

    private record Deepest(ParserRuleContext declaration, int depth) {}

    /** The declaration whose parse tree is deepest (the model itself if it has none), measured without recursion. */
    private static Deepest deepestDeclaration(NnParser.ModelContext tree) {
        ParserRuleContext best = tree;
        int bestDepth = -1;
        for (NnParser.DeclarationContext d : tree.declaration()) {
            int depth = 0;
            Deque<ParseTree> nodes = new ArrayDeque<>();
            Deque<Integer> depths = new ArrayDeque<>();
            nodes.push(d);
            depths.push(0);
            while (!nodes.isEmpty()) {
                ParseTree n = nodes.pop();
                int k = depths.pop();
                depth = Math.max(depth, k);
                for (int i = 0; i < n.getChildCount(); i++) {
                    nodes.push(n.getChild(i));
                    depths.push(k + 1);
                }
            }
            if (depth > bestDepth) {
                best = d;
                bestDepth = depth;
            }
        }
        return new Deepest(best, bestDepth);
    }

    private static boolean nestingFits(List<Token> tokens, Source source, Reporter reporter) {
        int depth = 0;
        for (Token t : tokens) {
            String text = t.getText();
            if (text.equals("(") || text.equals("[") || text.equals("{")) {
                if (++depth > MAX_NESTING) {
                    reporter.error(Code.E401, source, t.getLine(), t.getCharPositionInLine() + 1, 1,
                            "expression nested too deeply (more than " + MAX_NESTING + " levels of brackets)");
                    return false;
                }
            } else if (text.equals(")") || text.equals("]") || text.equals("}")) {
                depth = Math.max(0, depth - 1);
            }
        }
        return true;
    }

    /** Rewords ANTLR's syntax errors: "expected ']' but found 'x'". */
    private static final class Listener extends BaseErrorListener {
        private final Source source;
        private final Reporter reporter;
        private Token lastOffending;

        Listener(Source source, Reporter reporter) {
            this.source = source;
            this.reporter = reporter;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                String msg, RecognitionException e) {
            Token token = offendingSymbol instanceof Token t ? t : null;
            if (token != null && token == lastOffending) {
                return; // one message per bad token: recovery may trip over it again
            }
            lastOffending = token;
            String found = token == null ? "?" : token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'";
            int length = token == null || token.getType() == Token.EOF ? 1 : Math.max(1, token.getText().length());
            String message;
            Code code = Code.E101;
            if (token != null && token.getType() == NnLexer.UNEXPECTED) {
                code = Code.E102;
                message = "unexpected character " + found;
            } else if (msg.startsWith("missing ")) {
                String missing = msg.substring("missing ".length(), msg.indexOf(" at "));
                message = "expected " + readable(missing) + " before " + found;
            } else {
                IntervalSet expected = e != null ? e.getExpectedTokens()
                        : recognizer instanceof NnParser p ? p.getExpectedTokens() : null;
                String list = expected == null ? null : describe(expected, recognizer.getVocabulary());
                message = list == null ? "unexpected " + found : "expected " + list + " but found " + found;
                if (token != null && RESERVED.contains(token.getText()) && expected != null && expected.contains(NnLexer.ID)) {
                    message += ", a reserved word that cannot be a name";
                }
            }
            reporter.error(code, source, line, charPositionInLine + 1, length, message);
        }

        /** "']'", "a name", or "'(' or a number"; null when the choice is too wide to help. */
        private static String describe(IntervalSet set, Vocabulary vocabulary) {
            List<Integer> types = set.toList();
            if (types.isEmpty() || types.size() > 4) {
                return null;
            }
            BitSet seen = new BitSet();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < types.size(); i++) {
                String name = types.get(i) == Token.EOF ? "end of file" : readable(vocabulary.getDisplayName(types.get(i)));
                if (name.equals("a number") && seen.get(0)) {
                    continue;
                }
                if (name.equals("a number")) {
                    seen.set(0);
                }
                if (s.length() > 0) {
                    s.append(i == types.size() - 1 ? " or " : ", ");
                }
                s.append(name);
            }
            return s.toString();
        }

        private static String readable(String tokenName) {
            return switch (tokenName) {
                case "ID" -> "a name";
                case "INT", "FLOAT" -> "a number";
                case "<EOF>" -> "end of file";
                default -> tokenName;
            };
        }
    }
}
