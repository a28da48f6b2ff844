//! Công thức: how a derived indicator is computed from others ("EXPORT_VALUE - IMPORT_VALUE",
//! "REVENUE / PLAN * 100"). Four operations, parentheses and numbers over indicator codes: what
//! the catalogue needs (differences, sums, ratios) and nothing a reader of the catalogue file
//! would have to learn. Written here rather than taken from an expression crate: this runs in
//! the browser too (the form shows derived values as they are typed), and the grammar is forty
//! lines where a general evaluator would add its own language and its weight to the wasm.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Code(String),
    Number(f64),
    Op(Box<Expr>, char, Box<Expr>),
}

/// A parsed formula; it keeps the text as written (normalised spacing) for files and screens.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    text: String,
    expr: Expr,
}

/// Longest formula accepted: a catalogue line, not a program.
pub const MAX_FORMULA_CHARS: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("công thức không đọc được: {0} (formula cannot be read)")]
pub struct FormulaError(String);

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Code(String),
    Number(f64),
    Op(char),
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<Token>, FormulaError> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '+' | '-' | '*' | '/' => {
                chars.next();
                out.push(Token::Op(c));
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            '0'..='9' => {
                let mut s = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit() || **d == '.') {
                    s.push(d);
                    chars.next();
                }
                let n = s
                    .parse::<f64>()
                    .map_err(|_| FormulaError(format!("số “{s}” sai")))?;
                out.push(Token::Number(n));
            }
            'A'..='Z' | '_' => {
                let mut s = String::new();
                while let Some(&d) = chars
                    .peek()
                    .filter(|d| d.is_ascii_uppercase() || d.is_ascii_digit() || **d == '_')
                {
                    s.push(d);
                    chars.next();
                }
                out.push(Token::Code(s));
            }
            other => {
                return Err(FormulaError(format!(
                    "ký tự “{other}” không dùng được; chỉ mã chỉ tiêu, số, + - * / và ngoặc"
                )));
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }
    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.product()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.next();
            left = Expr::Op(Box::new(left), op, Box::new(self.product()?));
        }
        Ok(left)
    }
    /// product := atom (('*' | '/') atom)*
    fn product(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.atom()?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.next();
            left = Expr::Op(Box::new(left), op, Box::new(self.atom()?));
        }
        Ok(left)
    }
    /// atom := code | number | '(' sum ')'
    fn atom(&mut self) -> Result<Expr, FormulaError> {
        match self.next() {
            Some(Token::Code(c)) => Ok(Expr::Code(c)),
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Open) => {
                let inner = self.sum()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err(FormulaError("thiếu dấu “)”".into())),
                }
            }
            Some(Token::Op(op)) => Err(FormulaError(format!("dấu “{op}” đứng sai chỗ"))),
            Some(Token::Close) => Err(FormulaError("dấu “)” đứng sai chỗ".into())),
            None => Err(FormulaError("công thức dừng giữa chừng".into())),
        }
    }
}

/// How a formula is written: as the catalogue file has it (codes, ASCII signs), or for people
/// (names, and the operations in words of their language).
struct Style<'a> {
    name: &'a dyn Fn(&str) -> String,
    words: Option<crate::model::i18n::Lang>,
}

impl Style<'_> {
    fn op(&self, op: char) -> &'static str {
        use crate::model::i18n::Lang;
        match (self.words, op) {
            (None, '+') => "+",
            (None, '-') => "-",
            (None, '*') => "*",
            (None, _) => "/",
            (Some(Lang::Vi), '+') => "cộng",
            (Some(Lang::Vi), '-') => "trừ",
            (Some(Lang::Vi), '*') => "nhân",
            (Some(Lang::Vi), _) => "chia cho",
            (Some(Lang::En), '+') => "plus",
            (Some(Lang::En), '-') => "minus",
            (Some(Lang::En), '*') => "times",
            (Some(Lang::En), _) => "divided by",
        }
    }
}

fn write_expr(e: &Expr, out: &mut String, parent: u8, right_side: bool, style: &Style) {
    let rank = |op: char| if matches!(op, '+' | '-') { 1 } else { 2 };
    match e {
        Expr::Code(c) => out.push_str(&(style.name)(c)),
        Expr::Number(n) => out.push_str(&n.to_string()),
        Expr::Op(l, op, r) => {
            let mine = rank(*op);
            // Brackets only where the order of operations needs them.
            let bracket = mine < parent || (right_side && mine == parent);
            if bracket {
                out.push('(');
            }
            write_expr(l, out, mine, false, style);
            out.push(' ');
            out.push_str(style.op(*op));
            out.push(' ');
            write_expr(r, out, mine, true, style);
            if bracket {
                out.push(')');
            }
        }
    }
}

impl Formula {
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        if text.chars().count() > MAX_FORMULA_CHARS {
            return Err(FormulaError(format!("dài quá {MAX_FORMULA_CHARS} ký tự")));
        }
        let mut p = Parser {
            tokens: tokens(text)?,
            at: 0,
        };
        if p.tokens.is_empty() {
            return Err(FormulaError("công thức trống".into()));
        }
        let expr = p.sum()?;
        if p.at < p.tokens.len() {
            return Err(FormulaError("thừa phần cuối công thức".into()));
        }
        let mut text = String::new();
        let codes = Style {
            name: &|c| c.to_string(),
            words: None,
        };
        write_expr(&expr, &mut text, 0, false, &codes);
        let f = Formula { text, expr };
        if f.inputs().is_empty() {
            return Err(FormulaError(
                "công thức phải dùng ít nhất một chỉ tiêu".into(),
            ));
        }
        Ok(f)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The formula for people: each code replaced by `name(code)`, the operations in words of
    /// `lang` ("kim ngạch xuất khẩu trừ kim ngạch nhập khẩu").
    pub fn with_names(
        &self,
        lang: crate::model::i18n::Lang,
        name: impl Fn(&str) -> String,
    ) -> String {
        let mut out = String::new();
        let style = Style {
            name: &name,
            words: Some(lang),
        };
        write_expr(&self.expr, &mut out, 0, false, &style);
        out
    }

    /// The indicator codes the formula reads, each once, in the order written.
    pub fn inputs(&self) -> Vec<&str> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
            match e {
                Expr::Code(c) if !out.contains(&c.as_str()) => out.push(c),
                Expr::Op(l, _, r) => {
                    walk(l, out);
                    walk(r, out);
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.expr, &mut out);
        out
    }

    /// The value for the inputs `value` gives; None when one is missing or a division is by zero.
    pub fn evaluate(&self, value: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        fn eval(e: &Expr, value: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
            match e {
                Expr::Code(c) => value(c),
                Expr::Number(n) => Some(*n),
                Expr::Op(l, op, r) => {
                    let (a, b) = (eval(l, value)?, eval(r, value)?);
                    match op {
                        '+' => Some(a + b),
                        '-' => Some(a - b),
                        '*' => Some(a * b),
                        _ if b == 0.0 => None,
                        _ => Some(a / b),
                    }
                }
            }
        }
        eval(&self.expr, &value).filter(|v| v.is_finite())
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Formula {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Formula {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Formula, D::Error> {
        let s = String::deserialize(d)?;
        Formula::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(code: &str) -> Option<f64> {
        match code {
            "EXPORT_VALUE" => Some(40_000.0),
            "IMPORT_VALUE" => Some(38_500.0),
            "PLAN" => Some(0.0),
            _ => None,
        }
    }

    #[test]
    fn differences_ratios_and_order_of_operations() {
        let f = Formula::parse("EXPORT_VALUE-IMPORT_VALUE").unwrap();
        assert_eq!(f.as_str(), "EXPORT_VALUE - IMPORT_VALUE");
        assert_eq!(f.inputs(), vec!["EXPORT_VALUE", "IMPORT_VALUE"]);
        assert_eq!(f.evaluate(values), Some(1_500.0));
        let ratio = Formula::parse("(EXPORT_VALUE - IMPORT_VALUE) / IMPORT_VALUE * 100").unwrap();
        let got = ratio.evaluate(values).unwrap();
        assert!((got - 3.896_103_9).abs() < 1e-6, "{got}");
        assert_eq!(
            ratio.as_str(),
            "(EXPORT_VALUE - IMPORT_VALUE) / IMPORT_VALUE * 100"
        );
        // a - (b - c) keeps its brackets; a - b - c reads left to right.
        assert_eq!(
            Formula::parse("A - (B - C)").unwrap().as_str(),
            "A - (B - C)"
        );
        assert_eq!(Formula::parse("(A - B) - C").unwrap().as_str(), "A - B - C");
        assert_eq!(
            f.with_names(crate::model::i18n::Lang::Vi, |c| c.to_lowercase()),
            "export_value trừ import_value"
        );
    }

    #[test]
    fn a_missing_input_or_a_zero_divisor_gives_no_value() {
        assert_eq!(
            Formula::parse("EXPORT_VALUE - RICE")
                .unwrap()
                .evaluate(values),
            None
        );
        assert_eq!(
            Formula::parse("EXPORT_VALUE / PLAN")
                .unwrap()
                .evaluate(values),
            None
        );
    }

    #[test]
    fn broken_formulas_are_refused_with_the_reason() {
        for bad in [
            "",
            "A +",
            "(A - B",
            "A - B)",
            "A ; B",
            "export_value",
            "1 + 2",
            "A B",
        ] {
            assert!(Formula::parse(bad).is_err(), "{bad}");
        }
        let e = Formula::parse("A ; B").unwrap_err().to_string();
        assert!(e.contains("“;”"), "{e}");
    }
}
