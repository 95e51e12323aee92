package nnc.check;

import java.util.Map;
import java.util.function.IntToDoubleFunction;
import nnc.parse.Ast;

/**
 * A checked expression of {@code epoch}, such as {@code 0.95 ^ epoch}, evaluated for the runtime's
 * {@code lambda} and {@code multiplicative} schedules. {@link ScheduleSetting} has checked it:
 * numbers, {@code epoch}, the file's constants, {@code + - * / ^} and the functions of
 * {@link ScheduleSetting#FUNCTIONS}.
 */
record EpochExpression(Ast.Expr expr, Map<String, Double> consts) implements IntToDoubleFunction {
    EpochExpression {
        consts = Map.copyOf(consts);
    }

    @Override
    public double applyAsDouble(int epoch) {
        return eval(expr, epoch);
    }

    private double eval(Ast.Expr e, int epoch) {
        if (e instanceof Ast.Num n) {
            return n.value();
        } else if (e instanceof Ast.Name n) {
            return n.name().equals(ScheduleSetting.EPOCH) ? epoch : consts.get(n.name());
        } else if (e instanceof Ast.Neg n) {
            return -eval(n.operand(), epoch);
        } else if (e instanceof Ast.Binary b) {
            double l = eval(b.left(), epoch);
            double r = eval(b.right(), epoch);
            return switch (b.op()) {
                case '+' -> l + r;
                case '-' -> l - r;
                case '*' -> l * r;
                case '/' -> l / r;
                default -> Math.pow(l, r);
            };
        }
        Ast.Call c = (Ast.Call) e;
        double a = eval(c.args().get(0), epoch);
        return switch (c.name()) {
            case "exp" -> Math.exp(a);
            case "log" -> Math.log(a);
            case "sqrt" -> Math.sqrt(a);
            case "sin" -> Math.sin(a);
            case "cos" -> Math.cos(a);
            case "abs" -> Math.abs(a);
            case "floor" -> Math.floor(a);
            case "min" -> Math.min(a, eval(c.args().get(1), epoch));
            default -> Math.max(a, eval(c.args().get(1), epoch));
        };
    }
}
