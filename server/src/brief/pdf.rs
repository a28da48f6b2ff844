//! Draws a brief's [`Document`] as an A4 PDF with krilla: text as real text (a reader copies
//! and searches the Vietnamese words, `pdftotext` gives them back), the fonts embedded as
//! subsets. krilla does no layout, so lines, tables and pages are laid out here, in two passes:
//! first every page's marks, then the pages drawn, each footer knowing the page count.

use app::brief::document::{Block, Cell, Document, Table, Tone};
use app::model::i18n::Lang;
use krilla::Document as Pdf;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use std::sync::OnceLock;

// Liberation Serif: Times New Roman's metrics (the typeface of administrative documents) with
// every Vietnamese letter; assets/fonts/README says where it comes from.
static REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf");

// A4 in points, with the margins of an administrative document (Decree 30/2020/NĐ-CP: left
// 30-35 mm, right 15-20 mm, top and bottom 20-25 mm).
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 85.0;
const RIGHT: f32 = 57.0;
const TOP: f32 = 62.0;
const BOTTOM: f32 = 68.0;
const WIDTH: f32 = PAGE_W - LEFT - RIGHT;
/// A cell's padding, each side.
const PAD: f32 = 3.0;
const CHART_H: f32 = 14.0;
/// Room a dense table leaves under it on its page, for the remarks that explain it (its sources
/// on one line, its colours on two).
const DENSE_REMARK: f32 = 52.0;
/// The longest a cell runs before it is cut (a page and a half of a narrow column would not
/// be read in a brief; the whole text is on its page in the centre).
const MAX_CELL_LINES: usize = 45;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
    Italic,
}

/// One font: what krilla embeds, and the same face shaped to measure text.
struct Loaded {
    font: Font,
    face: rustybuzz::Face<'static>,
}

struct Fonts([Loaded; 3]);

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |bytes: &'static [u8]| Loaded {
            font: Font::new(bytes.into(), 0).expect("the embedded font is a valid TrueType font"),
            face: rustybuzz::Face::from_slice(bytes, 0)
                .expect("the embedded font is a valid TrueType font"),
        };
        Fonts([load(REGULAR), load(BOLD), load(ITALIC)])
    })
}

impl Fonts {
    fn get(&self, face: Face) -> &Loaded {
        &self.0[face as usize]
    }

    /// The width of `text` at `size`, shaped as krilla shapes it.
    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let f = &self.get(face).face;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(f, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / f.units_per_em() as f32
    }

    /// `text` broken into lines no wider than `width`: at spaces, and inside a word only when
    /// the word alone is wider. `\n` always starts a new line.
    fn wrap(&self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in words(paragraph) {
                let word = word.as_str();
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(face, size, &candidate) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it where it overflows.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(face, size, &piece) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

/// The words of a paragraph, a sign standing alone ("điểm %", "Hà Nội :") kept with the word
/// before it, so that no line starts with it.
fn words(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in paragraph.split_whitespace() {
        match out.last_mut() {
            Some(last) if matches!(w, "%" | ":" | ";" | "?" | "!" | "»" | "–") => {
                last.push(' ');
                last.push_str(w);
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

type Rgb = (u8, u8, u8);
const BLACK: Rgb = (0, 0, 0);
const GREY: Rgb = (95, 95, 95);
const RULE: Rgb = (150, 150, 150);
const HEAD_FILL: Rgb = (232, 236, 242);
const LINE: Rgb = (31, 78, 140);

fn colour(tone: Tone) -> Rgb {
    match tone {
        Tone::Plain => BLACK,
        Tone::Muted => GREY,
        Tone::Good => (0, 110, 55),
        Tone::Warn => (160, 95, 0),
        Tone::Bad => (185, 0, 0),
    }
}

/// What is drawn on a page, in page coordinates (y downwards, text at its baseline).
enum Mark {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        colour: Rgb,
        text: String,
    },
    Fill {
        rect: (f32, f32, f32, f32),
        colour: Rgb,
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        colour: Rgb,
    },
}

/// Lays blocks out onto pages.
struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Mark>>,
    /// Where the next block starts on the last page.
    y: f32,
}

impl Layout<'_> {
    fn page(&mut self) -> &mut Vec<Mark> {
        self.pages.last_mut().expect("a layout always has a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_H - BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, face: Face, size: f32, colour: Rgb, text: &str) {
        if !text.is_empty() {
            self.page().push(Mark::Text {
                x,
                y,
                face,
                size,
                colour,
                text: text.to_string(),
            });
        }
    }

    /// Lines of text across the width, left or centred, each line kept on a page.
    fn lines(&mut self, face: Face, size: f32, colour: Rgb, text: &str, centred: bool) {
        let leading = size * 1.3;
        for line in self.fonts.wrap(face, size, text, WIDTH) {
            self.room(leading);
            let x = if centred {
                LEFT + (WIDTH - self.fonts.width(face, size, &line)) / 2.0
            } else {
                LEFT
            };
            self.y += leading;
            let y = self.y - size * 0.3;
            self.text(x, y, face, size, colour, &line);
        }
    }

    /// The blocks in order; a subheading is kept on the page where the table under it starts.
    fn blocks(&mut self, blocks: &[Block]) {
        for (i, block) in blocks.iter().enumerate() {
            if let (Block::Subheading(t), Some(Block::Table(next))) = (block, blocks.get(i + 1)) {
                let lines = self.fonts.wrap(Face::Bold, 10.5, t, WIDTH).len() as f32;
                let heading = 6.0 + lines * 10.5 * 1.3 + 2.0;
                let (_, head, rows, height) = self.lay(next, if next.dense { 8.0 } else { 9.0 });
                self.room(heading + start_room(&head, &rows, height));
            }
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(t) => {
                self.y += 10.0;
                // A heading is kept with what follows it.
                self.room(90.0);
                self.lines(Face::Bold, 12.0, BLACK, t, false);
                self.y += 4.0;
            }
            Block::Subheading(t) => {
                self.y += 6.0;
                self.room(60.0);
                self.lines(Face::Bold, 10.5, BLACK, t, false);
                self.y += 2.0;
            }
            Block::Paragraph(t) => {
                self.lines(Face::Regular, 11.0, BLACK, t, false);
                self.y += 4.0;
            }
            Block::Remark(t) => {
                self.y += 2.0;
                self.lines(Face::Italic, 8.5, GREY, t, false);
                self.y += 4.0;
            }
            Block::Table(t) => self.table(t),
            Block::PageBreak => {
                if self.y > TOP {
                    self.new_page();
                }
            }
        }
    }

    /// A table laid out at `size` (its heading at most 8.5 pt): the columns' widths, the
    /// heading's row, the rows and their whole height.
    fn lay(&self, table: &Table, size: f32) -> (Vec<f32>, Row, Vec<Row>, f32) {
        let total: f32 = table.widths.iter().sum();
        let widths: Vec<f32> = table.widths.iter().map(|w| w / total * WIDTH).collect();
        let head: Vec<Cell> = table
            .head
            .iter()
            .map(|h| Cell {
                text: h.clone(),
                bold: true,
                ..Default::default()
            })
            .collect();
        let head = self.row_of(&head, &widths, size.min(8.5));
        let rows: Vec<Row> = table
            .rows
            .iter()
            .map(|r| self.row_of(r, &widths, size))
            .collect();
        let height = head.height + rows.iter().map(|r| r.height).sum::<f32>();
        (widths, head, rows, height)
    }

    fn table(&mut self, table: &Table) {
        let (widths, mut head, mut rows, mut height) =
            self.lay(table, if table.dense { 8.0 } else { 9.0 });
        if table.dense {
            // Kept on the page it starts, with room for a remark under it: smaller type
            // (down to 6 pt) rather than a second page.
            let room = PAGE_H - BOTTOM - self.y - DENSE_REMARK;
            let mut size = 8.0;
            while height > room && size > 6.0 {
                size -= 0.5;
                (_, head, rows, height) = self.lay(table, size);
            }
        }
        self.room(start_room(&head, &rows, height));
        self.draw_row(&head, &widths, Some(HEAD_FILL));
        for row in &rows {
            if self.y + row.height > PAGE_H - BOTTOM {
                self.new_page();
                // The header again on each page the table runs onto.
                self.draw_row(&head, &widths, Some(HEAD_FILL));
            }
            self.draw_row(row, &widths, None);
        }
        self.y += 8.0;
    }

    fn row_of(&self, cells: &[Cell], widths: &[f32], size: f32) -> Row {
        let leading = size * 1.25;
        let cells: Vec<LaidCell> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| {
                let face = if c.bold { Face::Bold } else { Face::Regular };
                let mut lines = self.fonts.wrap(face, size, &c.text, w - 2.0 * PAD);
                if lines.len() > MAX_CELL_LINES {
                    lines.truncate(MAX_CELL_LINES);
                    if let Some(last) = lines.last_mut() {
                        last.push_str(" …");
                    }
                }
                LaidCell {
                    lines,
                    face,
                    colour: colour(c.tone),
                    right: c.right,
                    chart: c.chart_heights(),
                }
            })
            .collect();
        let height = cells
            .iter()
            .map(|c| {
                c.lines.len() as f32 * leading
                    + if c.chart.len() > 1 {
                        CHART_H + 2.0
                    } else {
                        0.0
                    }
            })
            .fold(0.0, f32::max)
            + 2.0 * PAD;
        Row {
            cells,
            size,
            leading,
            height,
        }
    }

    fn draw_row(&mut self, row: &Row, widths: &[f32], fill: Option<Rgb>) {
        let top = self.y;
        if let Some(colour) = fill {
            self.page().push(Mark::Fill {
                rect: (LEFT, top, WIDTH, row.height),
                colour,
            });
        }
        let mut x = LEFT;
        for (cell, w) in row.cells.iter().zip(widths) {
            let mut y = top + PAD;
            for line in &cell.lines {
                y += row.leading;
                let tx = if cell.right {
                    x + w - PAD - self.fonts.width(cell.face, row.size, line)
                } else {
                    x + PAD
                };
                let colour = cell.colour;
                self.text(tx, y - row.size * 0.25, cell.face, row.size, colour, line);
            }
            if cell.chart.len() > 1 {
                let step = (w - 2.0 * PAD) / (cell.chart.len() - 1) as f32;
                let base = y + 2.0 + CHART_H;
                let points: Vec<(f32, f32)> = cell
                    .chart
                    .iter()
                    .enumerate()
                    .map(|(n, h)| (x + PAD + n as f32 * step, base - *h as f32 * CHART_H))
                    .collect();
                self.page().push(Mark::Line {
                    points,
                    width: 0.9,
                    colour: LINE,
                });
            }
            x += w;
        }
        self.y = top + row.height;
        let y = self.y;
        self.page().push(Mark::Line {
            points: vec![(LEFT, y), (LEFT + WIDTH, y)],
            width: 0.4,
            colour: RULE,
        });
    }
}

struct LaidCell {
    lines: Vec<String>,
    face: Face,
    colour: Rgb,
    right: bool,
    /// The small chart, scaled 0 to 1 ([`Cell::chart_heights`]).
    chart: Vec<f64>,
}

struct Row {
    cells: Vec<LaidCell>,
    size: f32,
    leading: f32,
    height: f32,
}

/// Why a brief could not be written as a PDF.
#[derive(Debug, thiserror::Error)]
#[error("không tạo được tệp PDF (the PDF could not be written): {0}")]
pub struct PdfError(String);

/// The room a table needs where it starts: a short one is kept whole on one page; a long one
/// starts where its heading and a row fit.
fn start_room(head: &Row, rows: &[Row], height: f32) -> f32 {
    if height <= (PAGE_H - TOP - BOTTOM) * 0.35 {
        height
    } else {
        head.height + rows.first().map_or(0.0, |r| r.height)
    }
}

/// The brief as the bytes of a PDF file.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts();
    let mut layout = Layout {
        fonts,
        pages: vec![Vec::new()],
        y: TOP,
    };
    cover(&mut layout, doc);
    layout.new_page();
    layout.blocks(&doc.blocks);
    let count = layout.pages.len();
    let mut pdf = Pdf::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language(doc.lang.as_str().to_string())
            .creator("dieuhanh".to_string()),
    );
    for (n, marks) in layout.pages.iter().enumerate() {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError("page size".into()))?;
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        let footer = [
            Mark::Line {
                points: vec![(LEFT, PAGE_H - 48.0), (LEFT + WIDTH, PAGE_H - 48.0)],
                width: 0.4,
                colour: RULE,
            },
            Mark::Text {
                x: LEFT,
                y: PAGE_H - 36.0,
                face: Face::Regular,
                size: 8.0,
                colour: GREY,
                text: doc.footer.clone(),
            },
            {
                let text = match doc.lang {
                    Lang::Vi => format!("Trang {}/{count}", n + 1),
                    Lang::En => format!("Page {} of {count}", n + 1),
                };
                Mark::Text {
                    x: LEFT + WIDTH - fonts.width(Face::Regular, 8.0, &text),
                    y: PAGE_H - 36.0,
                    face: Face::Regular,
                    size: 8.0,
                    colour: GREY,
                    text,
                }
            },
        ];
        for mark in marks.iter().chain(&footer) {
            draw(&mut surface, fonts, mark);
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError(format!("{e:?}")))
}

fn cover(layout: &mut Layout, doc: &Document) {
    // The issuer at the top left, centred over its own column as on an official letterhead.
    let column = WIDTH * 0.5;
    for (n, line) in doc.issuer.iter().enumerate() {
        let face = if n == 0 { Face::Regular } else { Face::Bold };
        let x = LEFT + (column - layout.fonts.width(face, 12.0, line)) / 2.0;
        layout.y += 16.0;
        let y = layout.y;
        layout.text(x, y, face, 12.0, BLACK, line);
    }
    let rule_y = layout.y + 5.0;
    layout.page().push(Mark::Line {
        points: vec![(LEFT + column * 0.3, rule_y), (LEFT + column * 0.7, rule_y)],
        width: 0.6,
        colour: BLACK,
    });
    layout.y = 240.0;
    for (n, line) in doc.cover_title.iter().enumerate() {
        let (face, size) = if n + 1 < doc.cover_title.len() {
            (Face::Bold, 16.0)
        } else {
            (Face::Italic, 13.0)
        };
        layout.lines(face, size, BLACK, line, true);
        layout.y += 4.0;
    }
    layout.y += 24.0;
    for line in &doc.cover_lines {
        if line.is_empty() {
            layout.y += 10.0;
        } else {
            layout.lines(Face::Regular, 11.5, BLACK, line, true);
        }
    }
}

fn paint(colour: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(colour.0, colour.1, colour.2).into()
}

fn draw(surface: &mut krilla::surface::Surface, fonts: &Fonts, mark: &Mark) {
    match mark {
        Mark::Text {
            x,
            y,
            face,
            size,
            colour,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(*colour),
                ..Default::default()
            }));
            surface.draw_text(
                Point::from_xy(*x, *y),
                fonts.get(*face).font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Mark::Fill { rect, colour } => {
            let Some(r) = Rect::from_xywh(rect.0, rect.1, rect.2, rect.3) else {
                return;
            };
            let mut b = PathBuilder::new();
            b.push_rect(r);
            if let Some(path) = b.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(*colour),
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Mark::Line {
            points,
            width,
            colour,
        } => {
            let mut b = PathBuilder::new();
            for (n, (x, y)) in points.iter().enumerate() {
                match n {
                    0 => b.move_to(*x, *y),
                    _ => b.line_to(*x, *y),
                }
            }
            if let Some(path) = b.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: paint(*colour),
                    width: *width,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::brief::document::{Block, Cell, Document, Table};

    #[test]
    fn lines_fit_their_width_and_keep_every_word() {
        let f = fonts();
        let text = "Kim ngạch xuất khẩu hàng hóa tháng 11/2026 ước đạt 42.350,5 triệu USD, \
                    tăng 12,3% so với cùng kỳ năm trước; Thànhphốkhôngcódấucáchnàocả dài";
        let lines = f.wrap(Face::Regular, 9.0, text, 80.0);
        assert!(lines.len() > 3, "{lines:?}");
        for l in &lines {
            assert!(f.width(Face::Regular, 9.0, l) <= 80.0, "“{l}” is too wide");
        }
        let joined: String = lines.concat();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined.replace(' ', ""), original, "no letter lost");
        assert_eq!(f.wrap(Face::Regular, 9.0, "a\nb", 80.0), vec!["a", "b"]);
    }

    #[test]
    fn a_long_table_runs_onto_pages_with_its_header_again() {
        let rows = (0..120)
            .map(|n| {
                vec![Cell {
                    text: format!("Tỉnh số {n}"),
                    ..Default::default()
                }]
            })
            .collect();
        let doc = Document {
            title: "Thử".into(),
            lang: Lang::Vi,
            issuer: vec![],
            cover_title: vec!["BÁO CÁO".into()],
            cover_lines: vec![],
            blocks: vec![Block::Table(Table {
                dense: false,
                widths: vec![1.0],
                head: vec!["Đơn vị".into()],
                rows,
            })],
            footer: "chân trang".into(),
        };
        let mut layout = Layout {
            fonts: fonts(),
            pages: vec![Vec::new()],
            y: TOP,
        };
        cover(&mut layout, &doc);
        layout.new_page();
        layout.blocks(&doc.blocks);
        assert!(layout.pages.len() >= 4, "{} pages", layout.pages.len());
        for page in &layout.pages[1..] {
            let texts: Vec<(&str, f32)> = page
                .iter()
                .filter_map(|m| match m {
                    Mark::Text { text, y, .. } => Some((text.as_str(), *y)),
                    _ => None,
                })
                .collect();
            assert_eq!(texts[0].0, "Đơn vị", "each page starts with the header");
            assert!(
                texts.iter().all(|(_, y)| *y <= PAGE_H - BOTTOM),
                "within the margin"
            );
        }
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_subheading_goes_to_the_page_where_its_short_table_starts() {
        let cell = |t: &str| Cell {
            text: t.into(),
            ..Default::default()
        };
        let table = Table {
            dense: false,
            widths: vec![3.0, 1.0],
            head: vec!["Đơn vị".into(), "Đóng góp".into()],
            rows: (0..7)
                .map(|n| vec![cell(&format!("Tỉnh {n}")), cell("+0,1")])
                .collect(),
        };
        // 80 pt above the bottom margin: room for the subheading, not for its table.
        let mut layout = Layout {
            fonts: fonts(),
            pages: vec![Vec::new()],
            y: PAGE_H - BOTTOM - 80.0,
        };
        let blocks = vec![
            Block::Subheading("Tỷ lệ thất nghiệp (%)".into()),
            Block::Table(table),
        ];
        layout.blocks(&blocks);
        assert_eq!(layout.pages.len(), 2);
        let second: Vec<&str> = layout.pages[1]
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            &second[..2],
            ["Tỷ lệ thất nghiệp (%)", "Đơn vị"],
            "the subheading with its table"
        );
    }

    #[test]
    fn a_dense_table_of_the_provinces_keeps_to_one_page_whatever_its_headings() {
        let long = "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia (% tổng số hồ sơ, Tháng 11/2026)";
        let rows = (0..35)
            .map(|n| {
                let mut row = vec![Cell {
                    text: format!("Thành phố số {n}"),
                    ..Default::default()
                }];
                row.extend((0..5).map(|_| Cell {
                    text: "1.234.567,8".into(),
                    right: true,
                    ..Default::default()
                }));
                row
            })
            .collect();
        let mut layout = Layout {
            fonts: fonts(),
            pages: vec![Vec::new()],
            y: TOP,
        };
        for b in [
            Block::PageBreak,
            Block::Heading("PHỤ LỤC 1. CẢI CÁCH HÀNH CHÍNH, CHUYỂN ĐỔI SỐ".into()),
            Block::Table(Table {
                dense: true,
                widths: vec![1.8, 1.0, 1.0, 1.0, 1.0, 1.0],
                head: std::iter::once("Đơn vị".to_string())
                    .chain(std::iter::repeat_n(format!("{long}; {long}"), 5))
                    .collect(),
                rows,
            }),
            Block::Remark("Màu số liệu: xanh đạt, vàng có nguy cơ, đỏ chậm.".into()),
        ] {
            layout.block(&b);
        }
        assert_eq!(layout.pages.len(), 1, "one page");
        let texts: Vec<&str> = layout.pages[0]
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(texts.contains(&"Thành phố số 34") && texts.last().unwrap().starts_with("Màu"));
    }
}
