package nnc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names from .nn files become identifiers that cannot break or inject into generated Java. */
class JavaNamesTest {
    @Test
    void plainNamesStayReadable() {
        JavaNames names = new JavaNames();
        assertEquals("h1_weight", names.allocate("h1.weight"));
        assertEquals("out", names.allocate("out"));
    }

    @Test
    void keywordsDollarsDigitsAndNonAsciiLettersAreMangled() {
        assertEquals("class_", JavaNames.mangle("class"));
        assertEquals("_1st", JavaNames.mangle("1st"));
        assertEquals("a_x24b", JavaNames.mangle("a$b"));
        assertEquals("gr_xf6_xdfe", JavaNames.mangle("gr\u00f6\u00dfe"));
        assertTrue(JavaNames.mangle("\u03c3").matches("[A-Za-z_][A-Za-z0-9_]*"));
    }

    @Test
    void namesThatCollideAfterManglingStayDistinct() {
        JavaNames names = new JavaNames().reserve("loss");
        String a = names.allocate("h1.weight");
        String b = names.allocate("h1_weight");
        String c = names.allocate("H1_WEIGHT");
        assertNotEquals(a, b);
        assertFalse(b.equalsIgnoreCase(c));
        assertEquals("loss_2", names.allocate("loss"));
    }

    @Test
    void commentTextCannotEndACommentOrHideAUnicodeEscape() {
        String text = JavaNames.commentText("x */ y \\u000a z\nnext");
        assertFalse(text.contains("*/"));
        assertFalse(text.contains("\n"));
        assertFalse(text.matches(".*(?<!\\\\)\\\\u.*"), text); // no unescaped backslash-u
        assertEquals("s[U+03C3]", JavaNames.commentText("s\u03c3"));
    }

    @Test
    void classNamesAreCapitalisedIdentifiers() {
        assertEquals("Regression", JavaNames.className("regression"));
        assertEquals("Model_1x", JavaNames.className("1x"));
        assertEquals("Math_", JavaNames.className("math"));
    }

    @Test
    void stringLiteralsAreAsciiWithEscapesJavacReadsBack() {
        assertEquals("\"gr\\u00f6\\u00dfe\"", JavaNames.stringLiteral("gr\u00f6\u00dfe"));
        assertEquals("\"a\\\"b\\\\c\\nd\\001\"", JavaNames.stringLiteral("a\"b\\c\nd\u0001"));
        assertEquals("\"\\ud835\\udc31\"", JavaNames.stringLiteral("\ud835\udc31")); // one code point, two escapes
    }

    @Test
    void suffixesContinueWhereTheyStoppedAndSkipTakenNames() {
        JavaNames names = new JavaNames().reserve("h_3");
        assertEquals("h", names.allocate("h"));
        assertEquals("h_2", names.allocate("h"));
        assertEquals("h_4", names.allocate("h"));
        assertEquals("h_5", names.allocate("h"));
        assertEquals("h_2_2", names.allocate("h_2"));
    }
}
