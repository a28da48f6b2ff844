//! A brief's [`Document`] as a printable page (`/briefs/{month}.html`): the same blocks as the
//! PDF, written by Leptos (which escapes every text: a commentary's markup is shown as
//! written), with a print style sheet in the page and no script.

use app::brief::document::{Block, Cell, Document, Tone};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

const STYLE: &str = "
body { font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 12pt; color: #000;
       max-width: 180mm; margin: 12mm auto; line-height: 1.3; }
.issuer { width: 50%; text-align: center; font-weight: bold; }
.issuer p:first-child { font-weight: normal; }
.cover { text-align: center; margin: 18mm 0 12mm; }
.cover h1 { font-size: 16pt; margin: 2pt 0; }
.cover .for { font-style: italic; }
h2 { font-size: 12.5pt; margin: 16pt 0 4pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; margin-bottom: 8pt; }
th { background: #e8ecf2; text-align: left; }
th, td { padding: 2pt 3pt; border-bottom: 0.5pt solid #969696; vertical-align: top;
         white-space: pre-line; }
tr { break-inside: avoid; }
td.num { text-align: right; }
td.bold { font-weight: bold; }
.muted { color: #5f5f5f; } .good { color: #006e37; } .warn { color: #a05f00; } .bad { color: #b90000; }
.remark { font-size: 8.5pt; font-style: italic; color: #5f5f5f; }
svg.spark { display: block; width: 100%; height: 14pt; }
footer { margin-top: 18pt; font-size: 8pt; color: #5f5f5f; border-top: 0.5pt solid #969696; }
@page { size: A4; margin: 20mm 20mm 22mm 30mm; }
table.dense { font-size: 8pt; }
.page-break { break-before: page; border-top: 1px dashed #bbb; margin-top: 16pt; }
@media print { body { margin: 0; max-width: none; } .screen { display: none; }
               .page-break { border: 0; margin: 0; } }
";

fn tone(t: Tone) -> &'static str {
    match t {
        Tone::Plain => "",
        Tone::Muted => "muted",
        Tone::Good => "good",
        Tone::Warn => "warn",
        Tone::Bad => "bad",
    }
}

/// A cell's small chart as the points of an SVG line in a 100 × 20 box.
fn spark(c: &Cell) -> Option<String> {
    let heights = c.chart_heights();
    if heights.is_empty() {
        return None;
    }
    let step = 100.0 / (heights.len() - 1) as f64;
    Some(
        heights
            .iter()
            .enumerate()
            .map(|(n, h)| format!("{:.1},{:.1}", n as f64 * step, 19.0 - h * 18.0))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn cell(c: &Cell, head: bool) -> AnyView {
    let class = [
        tone(c.tone),
        if c.right { "num" } else { "" },
        if c.bold { "bold" } else { "" },
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let chart = spark(c).map(|points| {
        view! {
            <svg class="spark" viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true">
                <polyline points=points fill="none" stroke="#1f4e8c" stroke-width="1.2" vector-effect="non-scaling-stroke"/>
            </svg>
        }
    });
    let text = c.text.clone();
    if head {
        view! { <th scope="col">{text}</th> }.into_any()
    } else {
        view! { <td class=class>{text}{chart}</td> }.into_any()
    }
}

fn block(b: &Block) -> AnyView {
    match b {
        Block::Heading(t) => view! { <h2>{t.clone()}</h2> }.into_any(),
        Block::Subheading(t) => view! { <h3>{t.clone()}</h3> }.into_any(),
        Block::Paragraph(t) => view! { <p>{t.clone()}</p> }.into_any(),
        Block::Remark(t) => view! { <p class="remark">{t.clone()}</p> }.into_any(),
        Block::Table(t) => {
            let head = t
                .head
                .iter()
                .map(|h| {
                    cell(
                        &Cell {
                            text: h.clone(),
                            ..Default::default()
                        },
                        true,
                    )
                })
                .collect_view();
            let rows = t
                .rows
                .iter()
                .map(|r| {
                    let cells = r.iter().map(|c| cell(c, false)).collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            view! { <table class:dense=t.dense><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table> }.into_any()
        }
        Block::PageBreak => view! { <div class="page-break"></div> }.into_any(),
    }
}

/// The page's HTML, whole.
pub fn render(doc: &Document) -> String {
    let lang = doc.lang.as_str();
    let title = doc.title.clone();
    let body = Owner::new().with(|| {
        let issuer = doc
            .issuer
            .iter()
            .map(|l| view! { <p>{l.clone()}</p> })
            .collect_view();
        let n = doc.cover_title.len();
        let cover = doc
            .cover_title
            .iter()
            .enumerate()
            .map(|(i, l)| match i + 1 < n {
                true => view! { <h1>{l.clone()}</h1> }.into_any(),
                false => view! { <p class="for">{l.clone()}</p> }.into_any(),
            })
            .collect_view();
        let lines = doc
            .cover_lines
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| view! { <p>{l.clone()}</p> })
            .collect_view();
        let blocks = doc.blocks.iter().map(block).collect_view();
        let print = doc.lang.pick(
            "Bản để in: dùng lệnh In của trình duyệt (Ctrl+P).",
            "For printing: use the browser's Print (Ctrl+P).",
        );
        view! {
            <p class="screen remark">{print}</p>
            <div class="issuer">{issuer}</div>
            <div class="cover">{cover}{lines}</div>
            {blocks}
            <footer>{doc.footer.clone()}</footer>
        }
        .to_html()
    });
    let head = Owner::new().with(|| view! { <title>{title}</title> }.to_html());
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{head}\
         <style>{STYLE}</style></head><body>{}</body></html>",
        body.replace("<!>", "")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::brief::document::{Block, Cell, Document, Table};
    use app::model::i18n::Lang;

    #[test]
    fn markup_in_a_commentary_is_text_on_the_page() {
        let doc = Document {
            title: "Báo cáo <thử>".into(),
            lang: Lang::Vi,
            issuer: vec!["VĂN PHÒNG CHÍNH PHỦ".into()],
            cover_title: vec!["BÁO CÁO".into(), "phục vụ phiên họp".into()],
            cover_lines: vec![],
            blocks: vec![
                Block::Paragraph("Nhận xét: <script>alert(1)</script> & <b>đậm</b>".into()),
                Block::Table(Table {
                    dense: false,
                    widths: vec![1.0],
                    head: vec!["Chỉ tiêu".into()],
                    rows: vec![vec![Cell {
                        text: "Xuất khẩu\n</td><td>".into(),
                        chart: vec![1.0, 3.0, 2.0],
                        ..Default::default()
                    }]],
                }),
            ],
            footer: "chân".into(),
        };
        let html = render(&doc);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("Xuất khẩu\n&lt;/td&gt;&lt;td&gt;"), "{html}");
        assert!(
            html.contains("<title>Báo cáo &lt;thử&gt;</title>"),
            "{html}"
        );
        assert!(
            html.contains("<polyline points=\"0.0,19.0 50.0,1.0 100.0,10.0\""),
            "{html}"
        );
    }
}
