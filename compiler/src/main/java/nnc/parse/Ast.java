package nnc.parse;

import java.util.List;

/** The syntax tree of a .nn file: immutable records, each carrying where it is in the source. */
public final class Ast {
    private Ast() {}

    /**
     * A span of source text.
     *
     * @param line 1-based line of its first character
     * @param column 1-based column of its first character
     * @param length characters on the first line (for the caret)
     * @param text the whole span's text
     */
    public record Pos(int line, int column, int length, String text) {}

    /** The whole file: one model. */
    public record Model(String name, Pos namePos, List<Decl> decls, Pos pos) {
        public Model {
            decls = List.copyOf(decls);
        }
    }

    /** A declaration inside the model's braces. */
    public sealed interface Decl permits Input, Param, InitDefaults, Value, Loss, Train, Const, Repeat {
        Pos pos();
    }

    /** A dimension as written: its text (validated by the checker) and where it is. */
    public record Dim(String text, Pos pos) {}

    /**
     * {@code input x: [1]} or, with {@code target} true, {@code target y: [1]}, or a target of class
     * indices {@code target y: class(10)} (then {@code classType} is set and the shape is empty).
     */
    public record Input(boolean target, String name, Pos namePos, List<Dim> shape, Pos shapePos, ClassType classType, Pos pos)
            implements Decl {
        public Input {
            shape = List.copyOf(shape);
        }
    }

    /** {@code class(10)}: the type name as written (checked to be "class") and the number of classes. */
    public record ClassType(String name, Pos namePos, Dim count) {}

    /** {@code param w: [3, 4] = normal(0, 1)}; init is null when not given. */
    public record Param(String name, Pos namePos, List<Dim> shape, Pos shapePos, Expr init, Pos pos) implements Decl {
        public Param {
            shape = List.copyOf(shape);
        }
    }

    /** {@code init weights normal(0, 1), biases constant(0.03)}. */
    public record InitDefaults(List<NamedArg> defaults, Pos pos) implements Decl {
        public InitDefaults {
            defaults = List.copyOf(defaults);
        }
    }

    /** {@code h1 = sigmoid(dense(x, 64))}, or {@code output out = ...}. */
    public record Value(boolean output, String name, Pos namePos, Expr expr, Pos pos) implements Decl {}

    /** {@code loss mse(out, y)}. */
    public record Loss(Expr expr, Pos pos) implements Decl {}

    /** {@code train { optimizer sgd(lr: 0.1)  batch 128 }}. */
    public record Train(List<Setting> settings, Pos pos) implements Decl {
        public Train {
            settings = List.copyOf(settings);
        }
    }

    /** {@code const K = 5}: a number with a name, usable wherever a number is. */
    public record Const(String name, Pos namePos, Expr value, Pos pos) implements Decl {}

    /** {@code repeat K { h = relu(dense(h, D)) }}: the body's values defined K times over. */
    public record Repeat(Expr count, List<Decl> body, Pos pos) implements Decl {
        public Repeat {
            body = List.copyOf(body);
        }
    }

    /** One training setting: {@code batch 128}. */
    public record Setting(String name, Pos namePos, Expr value, Pos pos) {}

    /** {@code name: value}, in calls and in {@code init}. */
    public record NamedArg(String name, Pos namePos, Expr value, Pos pos) {}

    /** An expression. */
    public sealed interface Expr permits Num, Str, Name, Neg, Binary, Call {
        Pos pos();
    }

    /** A numeric literal; {@code integral} if written without a point or exponent. */
    public record Num(double value, boolean integral, Pos pos) implements Expr {}

    public record Name(String name, Pos pos) implements Expr {}

    /** A string literal, without its quotes: parameter name patterns such as {@code "h*.weight"}. */
    public record Str(String value, Pos pos) implements Expr {}

    /** Unary minus. */
    public record Neg(Expr operand, Pos pos) implements Expr {}

    /** {@code + - * / ^}. */
    public record Binary(char op, Expr left, Expr right, Pos pos) implements Expr {}

    /** {@code f(a, b, name: c)}: positional arguments first. */
    public record Call(String name, Pos namePos, List<Expr> args, List<NamedArg> named, Pos pos) implements Expr {
        public Call {
            args = List.copyOf(args);
            named = List.copyOf(named);
        }
    }
}
