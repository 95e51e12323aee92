// The grammar of .nn model files. Parser rules first, lexer rules after; no actions: the
// visitor in nnc.parse.AstBuilder builds the AST. See docs/language.md.
grammar Nn;

model
    : 'model' ID '{' declaration* '}' EOF
    ;

declaration
    : 'input' ID ':' shape                          # inputDecl
    | 'target' ID ':' (shape | ID '(' INT ')')      # targetDecl
    | 'param' ID ':' shape ('=' expr)?              # paramDecl
    | 'init' initDefault (',' initDefault)*         # initDecl
    | 'output'? ID '=' expr                         # valueDecl
    | 'loss' expr                                   # lossDecl
    | 'train' '{' setting* '}'                      # trainDecl
    | 'const' ID '=' expr                           # constDecl
    | 'repeat' expr '{' declaration* '}'            # repeatDecl
    ;

// One expression on its own: options of the nnc command such as --optimizer 'adam(lr: 0.01)'.
expression
    : expr EOF
    ;

shape
    : '[' (dim (',' dim)*)? ']'
    ;

dim
    : INT
    | ID
    ;

// weights normal(0, 1)   or   biases constant(0.03)
initDefault
    : ID expr
    ;

// batch 128, epochs 1000, seed 0, shuffle true, optimizer sgd(lr: 0.1)
setting
    : ID expr
    ;

expr
    : <assoc = right> expr '^' expr                 # powExpr
    | '-' expr                                      # negExpr
    | expr op = ('*' | '/') expr                    # mulExpr
    | expr op = ('+' | '-') expr                    # addExpr
    | ID '(' arguments? ')'                         # callExpr
    | ID                                            # nameExpr
    | (INT | FLOAT)                                 # numberExpr
    | STRING                                        # stringExpr
    | '(' expr ')'                                  # parenExpr
    ;

arguments
    : argument (',' argument)*
    ;

argument
    : namedArg                                      # named
    | expr                                          # positional
    ;

namedArg
    : ID ':' expr
    ;

INT
    : DIGIT+
    ;

FLOAT
    : DIGIT+ '.' DIGIT* EXPONENT?
    | '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;

// '$' as in Java: generated code mangles it like any other character outside [A-Za-z0-9_].
ID
    : [\p{L}_$] [\p{L}\p{N}_$]*
    ;

// "h*.weight": parameter name patterns
STRING
    : '"' ~["\r\n]* '"'
    ;

LINE_COMMENT
    : '//' ~[\r\n]* -> skip
    ;

BLOCK_COMMENT
    : '/*' .*? '*/' -> skip
    ;

WS
    : [ \t\r\n\f]+ -> skip
    ;

// Anything else is one bad character, reported by the parser with its position.
UNEXPECTED
    : .
    ;

fragment DIGIT
    : [0-9]
    ;

fragment EXPONENT
    : [eE] [+-]? DIGIT+
    ;
