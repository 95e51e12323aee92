package nnc.parse;

import java.util.ArrayList;
import java.util.List;
import nnc.diag.Code;
import nnc.diag.Reporter;
import nnc.diag.Source;
import nnc.grammar.NnBaseVisitor;
import nnc.grammar.NnParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Turns ANTLR's parse tree into the {@link Ast}, one visit method per grammar alternative. */
final class AstBuilder extends NnBaseVisitor<Object> {
    private final Source source;
    private final Reporter reporter;

    AstBuilder(Source source, Reporter reporter) {
        this.source = source;
        this.reporter = reporter;
    }

    Ast.Model model(NnParser.ModelContext ctx) {
        List<Ast.Decl> decls = new ArrayList<>();
        for (NnParser.DeclarationContext d : ctx.declaration()) {
            Object decl = visit(d);
            if (decl != null) {
                decls.add((Ast.Decl) decl);
            }
        }
        return new Ast.Model(text(ctx.ID()), pos(ctx.ID()), decls, pos(ctx));
    }

    @Override
    public Object visitInputDecl(NnParser.InputDeclContext ctx) {
        return new Ast.Input(false, text(ctx.ID()), pos(ctx.ID()), dims(ctx.shape()), pos(ctx.shape()), null, pos(ctx));
    }

    @Override
    public Object visitTargetDecl(NnParser.TargetDeclContext ctx) {
        if (ctx.shape() != null) {
            return new Ast.Input(true, text(ctx.ID(0)), pos(ctx.ID(0)), dims(ctx.shape()), pos(ctx.shape()), null, pos(ctx));
        }
        Ast.ClassType type = new Ast.ClassType(text(ctx.ID(1)), pos(ctx.ID(1)), new Ast.Dim(ctx.INT().getText(), pos(ctx.INT())));
        return new Ast.Input(true, text(ctx.ID(0)), pos(ctx.ID(0)), List.of(), pos(ctx.ID(1)), type, pos(ctx));
    }

    @Override
    public Object visitParamDecl(NnParser.ParamDeclContext ctx) {
        Ast.Expr init = ctx.expr() == null ? null : expr(ctx.expr());
        return new Ast.Param(text(ctx.ID()), pos(ctx.ID()), dims(ctx.shape()), pos(ctx.shape()), init, pos(ctx));
    }

    @Override
    public Object visitInitDecl(NnParser.InitDeclContext ctx) {
        List<Ast.NamedArg> defaults = new ArrayList<>();
        for (NnParser.InitDefaultContext a : ctx.initDefault()) {
            defaults.add(new Ast.NamedArg(text(a.ID()), pos(a.ID()), expr(a.expr()), pos(a)));
        }
        return new Ast.InitDefaults(defaults, pos(ctx));
    }

    @Override
    public Object visitValueDecl(NnParser.ValueDeclContext ctx) {
        return new Ast.Value(ctx.getChild(0).getText().equals("output"), text(ctx.ID()), pos(ctx.ID()),
                expr(ctx.expr()), pos(ctx));
    }

    @Override
    public Object visitLossDecl(NnParser.LossDeclContext ctx) {
        return new Ast.Loss(expr(ctx.expr()), pos(ctx));
    }

    @Override
    public Object visitTrainDecl(NnParser.TrainDeclContext ctx) {
        List<Ast.Setting> settings = new ArrayList<>();
        for (NnParser.SettingContext s : ctx.setting()) {
            if (s.ID() != null && s.expr() != null) {
                settings.add(new Ast.Setting(text(s.ID()), pos(s.ID()), expr(s.expr()), pos(s)));
            }
        }
        return new Ast.Train(settings, pos(ctx));
    }

    @Override
    public Object visitConstDecl(NnParser.ConstDeclContext ctx) {
        return new Ast.Const(text(ctx.ID()), pos(ctx.ID()), expr(ctx.expr()), pos(ctx));
    }

    @Override
    public Object visitRepeatDecl(NnParser.RepeatDeclContext ctx) {
        List<Ast.Decl> body = new ArrayList<>();
        for (NnParser.DeclarationContext d : ctx.declaration()) {
            Object decl = visit(d);
            if (decl != null) {
                body.add((Ast.Decl) decl);
            }
        }
        return new Ast.Repeat(expr(ctx.expr()), body, pos(ctx));
    }

    private List<Ast.Dim> dims(NnParser.ShapeContext ctx) {
        List<Ast.Dim> dims = new ArrayList<>();
        if (ctx != null) {
            for (NnParser.DimContext d : ctx.dim()) {
                dims.add(new Ast.Dim(d.getText(), pos(d)));
            }
        }
        return dims;
    }

    private Ast.NamedArg namedArg(NnParser.NamedArgContext a) {
        return new Ast.NamedArg(text(a.ID()), pos(a.ID()), expr(a.expr()), pos(a));
    }

    Ast.Expr expr(NnParser.ExprContext ctx) {
        return (Ast.Expr) visit(ctx);
    }

    @Override
    public Object visitPowExpr(NnParser.PowExprContext ctx) {
        return new Ast.Binary('^', expr(ctx.expr(0)), expr(ctx.expr(1)), pos(ctx));
    }

    @Override
    public Object visitNegExpr(NnParser.NegExprContext ctx) {
        return new Ast.Neg(expr(ctx.expr()), pos(ctx));
    }

    @Override
    public Object visitMulExpr(NnParser.MulExprContext ctx) {
        return new Ast.Binary(ctx.op.getText().charAt(0), expr(ctx.expr(0)), expr(ctx.expr(1)), pos(ctx));
    }

    @Override
    public Object visitAddExpr(NnParser.AddExprContext ctx) {
        return new Ast.Binary(ctx.op.getText().charAt(0), expr(ctx.expr(0)), expr(ctx.expr(1)), pos(ctx));
    }

    @Override
    public Object visitCallExpr(NnParser.CallExprContext ctx) {
        List<Ast.Expr> args = new ArrayList<>();
        List<Ast.NamedArg> named = new ArrayList<>();
        if (ctx.arguments() != null) {
            for (NnParser.ArgumentContext a : ctx.arguments().argument()) {
                if (a instanceof NnParser.NamedContext n) {
                    named.add(namedArg(n.namedArg()));
                } else {
                    NnParser.PositionalContext p = (NnParser.PositionalContext) a;
                    Ast.Expr e = expr(p.expr());
                    if (!named.isEmpty()) {
                        reporter.error(Code.E103, source, e.pos().line(), e.pos().column(), e.pos().length(),
                                "positional argument after a named one; put positional arguments first");
                    }
                    args.add(e);
                }
            }
        }
        return new Ast.Call(text(ctx.ID()), pos(ctx.ID()), args, named, pos(ctx));
    }

    @Override
    public Object visitNameExpr(NnParser.NameExprContext ctx) {
        return new Ast.Name(text(ctx.ID()), pos(ctx));
    }

    @Override
    public Object visitNumberExpr(NnParser.NumberExprContext ctx) {
        String t = ctx.getText();
        return new Ast.Num(Double.parseDouble(t), ctx.INT() != null, pos(ctx));
    }

    @Override
    public Object visitStringExpr(NnParser.StringExprContext ctx) {
        String t = ctx.getText();
        return new Ast.Str(t.substring(1, t.length() - 1), pos(ctx));
    }

    @Override
    public Object visitParenExpr(NnParser.ParenExprContext ctx) {
        return expr(ctx.expr());
    }

    private static String text(TerminalNode t) {
        return t == null ? "<missing>" : t.getText();
    }

    private static Ast.Pos pos(TerminalNode t) {
        Token tok = t.getSymbol();
        return new Ast.Pos(tok.getLine(), tok.getCharPositionInLine() + 1, Math.max(1, tok.getText().length()), tok.getText());
    }

    /** The span of a rule: from its first token to its last, its text as in the file. */
    private static Ast.Pos pos(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop() == null ? start : ctx.getStop();
        String text = start.getStartIndex() >= 0 && stop.getStopIndex() >= start.getStartIndex()
                ? start.getInputStream().getText(Interval.of(start.getStartIndex(), stop.getStopIndex()))
                : start.getText();
        int firstLine = text.indexOf('\n');
        int length = firstLine >= 0 ? firstLine : text.length();
        return new Ast.Pos(start.getLine(), start.getCharPositionInLine() + 1, Math.max(1, length), text);
    }
}
