//! A brief laid out in one language: the cover's lines, then sections of headings, paragraphs
//! and tables of text. The PDF draws these blocks; every word is decided here, once.

use crate::brief::model::*;

use crate::model::i18n::Lang;
use crate::model::target::Standing;
use crate::model::task::TaskClass;

/// How a cell's text is coloured: a standing's colour, or grey for what is secondary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Plain,
    Muted,
    Good,
    Warn,
    Bad,
}

impl Tone {
    fn of(s: Standing) -> Tone {
        match s {
            Standing::OnTrack => Tone::Good,
            Standing::AtRisk => Tone::Warn,
            Standing::OffTrack => Tone::Bad,
            Standing::CannotJudge => Tone::Muted,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// Lines are broken where they do not fit; `\n` starts a new one.
    pub text: String,
    pub tone: Tone,
    pub bold: bool,
    /// A small line chart of these values, drawn under the text.
    pub chart: Vec<f64>,
    pub right: bool,
}

impl Cell {
    /// The small chart's values scaled from its lowest (0) to its highest (1), oldest first:
    /// what the PDF and the printable page draw. Empty when there is no line to draw.
    pub fn chart_heights(&self) -> Vec<f64> {
        if self.chart.len() < 2 {
            return Vec::new();
        }
        let (lo, hi) = self
            .chart
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
        let span = if hi > lo { hi - lo } else { 1.0 };
        self.chart.iter().map(|v| (v - lo) / span).collect()
    }

    fn text(t: impl Into<String>) -> Cell {
        Cell {
            text: t.into(),
            ..Default::default()
        }
    }
    fn number(t: impl Into<String>) -> Cell {
        Cell {
            right: true,
            ..Cell::text(t)
        }
    }
    fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
    fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// In smaller type, to keep a long table on one page (an annex of the 34 provinces).
    pub dense: bool,
    /// Relative widths of the columns.
    pub widths: Vec<f32>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A numbered section's heading ("I. Các chỉ tiêu chủ yếu").
    Heading(String),
    /// A heading within a section.
    Subheading(String),
    Paragraph(String),
    /// A remark in small grey type (sources, what a table leaves out).
    Remark(String),
    Table(Table),
    /// What follows starts a page (an annex).
    PageBreak,
}

/// The brief in one language, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The PDF's title and language tag.
    pub title: String,
    pub lang: Lang,
    /// The issuer's lines at the top left of the cover.
    pub issuer: Vec<String>,
    /// The cover's title lines, centred and bold.
    pub cover_title: Vec<String>,
    /// The cover's lines under the title (the meeting, when the figures stand).
    pub cover_lines: Vec<String>,
    pub blocks: Vec<Block>,
    /// At the foot of every page, before its number.
    pub footer: String,
}

fn standing(lang: Lang, s: Standing) -> String {
    lang.pick(s.label_vi(), s.label_en()).to_string()
}

impl Brief {
    /// The brief laid out in `lang`, with the secretariat's `commentary` under each section's
    /// heading (as written: markup is text).
    pub fn document(&self, lang: Lang, commentary: &Commentary) -> Document {
        let month = self.month_in_text(lang);
        let composed = crate::model::vietnam_time(self.composed_at);
        let mut cover_lines = Vec::new();
        match &self.meeting {
            Some(m) => {
                cover_lines.push(m.title.clone());
                cover_lines.push(format!(
                    "{} {} · {}",
                    lang.pick("Thời gian:", "Time:"),
                    lang.date_time(m.starts_at),
                    m.place
                ));
                if !m.chair.is_empty() {
                    cover_lines.push(format!("{} {}", lang.pick("Chủ trì:", "Chair:"), m.chair));
                }
            }
            None => cover_lines.push(
                lang.pick(
                    "Chưa có phiên họp thường kỳ nào được lên lịch cho tháng này.",
                    "No regular meeting is scheduled for this month yet.",
                )
                .to_string(),
            ),
        }
        cover_lines.push(String::new());
        cover_lines.push(format!(
            "{} {}; {} {}.",
            lang.pick("Số liệu đến lượt cập nhật số", "Figures as of update no."),
            self.seq,
            lang.pick("lập lúc", "composed at"),
            lang.date_time(composed),
        ));
        cover_lines.push(format!(
            "{} {}.",
            lang.pick(
                "Báo cáo, giải trình và nhiệm vụ tính đến ngày",
                "Reports, explanations and tasks as they stand on"
            ),
            lang.date(self.judged_on)
        ));
        if self.simulated {
            cover_lines.push(
                lang.pick(
                    "Có số liệu mô phỏng (quốc gia minh hoạ), không phải số liệu chính thức.",
                    "Contains simulated figures (a demonstration country), not official statistics.",
                )
                .to_string(),
            );
        }
        let mut blocks = Vec::new();
        type Part = fn(&Brief, Lang, &mut Vec<Block>);
        let parts: [(Section, Part); 6] = [
            (Section::Figures, Brief::key_figures),
            (Section::OffTrack, Brief::off_track_part),
            (Section::Movers, Brief::movers_part),
            (Section::Reporting, Brief::reporting_part),
            (Section::Explanations, Brief::explanations_part),
            (Section::Tasks, Brief::tasks_part),
        ];
        for (section, part) in parts {
            let mut own = Vec::new();
            part(self, lang, &mut own);
            // The commentary right under the section's heading.
            if let Some(text) = commentary.get(&section) {
                own.insert(
                    1,
                    Block::Paragraph(format!("{}: {text}", lang.pick("Nhận xét", "Commentary"))),
                );
            }
            blocks.extend(own);
        }
        for (n, annex) in self.annexes.iter().enumerate() {
            annex_part(lang, n + 1, annex, &mut blocks);
        }
        let title = format!(
            "{} {month}",
            lang.pick(
                "Báo cáo tình hình kinh tế - xã hội",
                "Socio-economic situation,"
            )
        );
        Document {
            issuer: vec![
                lang.pick("VĂN PHÒNG CHÍNH PHỦ", "GOVERNMENT OFFICE")
                    .to_string(),
                lang.pick(
                    "TRUNG TÂM CHỈ ĐẠO, ĐIỀU HÀNH",
                    "COMMAND AND OPERATIONS CENTRE",
                )
                .to_string(),
            ],
            cover_title: vec![
                lang.pick("BÁO CÁO", "BRIEF").to_string(),
                format!(
                    "{} {}",
                    lang.pick("TÌNH HÌNH KINH TẾ - XÃ HỘI", "SOCIO-ECONOMIC SITUATION,"),
                    month.to_uppercase()
                ),
                lang.pick(
                    "phục vụ Phiên họp Chính phủ thường kỳ",
                    "for the Government's regular meeting",
                )
                .to_string(),
            ],
            cover_lines,
            blocks,
            footer: format!(
                "{title} · {} {}{}",
                lang.pick("lượt cập nhật", "update"),
                self.seq,
                if self.simulated {
                    lang.pick(" · có số liệu mô phỏng", " · contains simulated figures")
                } else {
                    ""
                }
            ),
            title,
            lang,
        }
    }

    /// "tháng 11/2026" inside a Vietnamese sentence, "Nov 2026" in English.
    fn month_in_text(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => lang.period(&self.month).to_lowercase(),
            Lang::En => lang.period(&self.month),
        }
    }

    fn key_figures(&self, lang: Lang, out: &mut Vec<Block>) {
        out.push(Block::Heading(
            lang.pick("I. CÁC CHỈ TIÊU CHỦ YẾU", "I. KEY INDICATORS")
                .to_string(),
        ));
        if self.figures.is_empty() {
            out.push(Block::Paragraph(format!(
                "{} {} {} {}.",
                lang.pick(
                    "Chưa có số liệu của cả nước cho",
                    "There are no national figures for"
                ),
                self.month_in_text(lang),
                lang.pick("tại lượt cập nhật số", "as of update no."),
                self.seq
            )));
            return;
        }
        let head = [
            lang.pick("Chỉ tiêu", "Indicator"),
            lang.pick("Kỳ", "Period"),
            lang.pick("Giá trị", "Value"),
            lang.pick("So với kỳ trước", "Against the period before"),
            lang.pick("So với cùng kỳ", "Against a year earlier"),
            lang.pick("Mục tiêu năm", "Year's target"),
            lang.pick("Tình trạng", "Standing"),
        ]
        .map(str::to_string)
        .to_vec();
        let fields = crate::model::indicator::Field::ALL;
        for field in fields {
            let rows: Vec<Vec<Cell>> = self
                .figures
                .iter()
                .filter(|f| f.field == field)
                .map(|f| figure_row(lang, f))
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.push(Block::Subheading(
                lang.pick(field.label_vi(), field.label_en()).to_string(),
            ));
            out.push(Block::Table(Table {
                dense: false,
                widths: vec![3.0, 1.2, 1.3, 1.6, 1.6, 1.2, 1.6],
                head: head.clone(),
                rows,
            }));
        }
        out.push(Block::Remark(
            lang.pick(
                "Mỗi chỉ tiêu ghi kỳ số liệu, nguồn và đơn vị tính; đường nhỏ dưới tên là diễn biến 12 kỳ gần nhất. Tình trạng so với mục tiêu, kế hoạch của Chính phủ theo quy tắc của từng chỉ tiêu.",
                "Each figure gives its period, source and measure; the small line under its name is its last 12 periods. Standings are against the Government's targets and plans, by each indicator's rule.",
            )
            .to_string(),
        ));
    }

    fn off_track_part(&self, lang: Lang, out: &mut Vec<Block>) {
        out.push(Block::Heading(
            lang.pick(
                "II. CHỈ TIÊU CHẬM, CÓ NGUY CƠ KHÔNG ĐẠT MỤC TIÊU",
                "II. WHAT IS OFF TRACK OR AT RISK",
            )
            .to_string(),
        ));
        if self.off_track.is_empty() {
            out.push(Block::Paragraph(
                lang.pick(
                    "Không có chỉ tiêu nào của cả nước, các tỉnh, thành phố và các bộ chậm hoặc có nguy cơ không đạt mục tiêu, kế hoạch năm.",
                    "No figure of the nation, the provinces or the ministries is off track or at risk against its targets and plans for the year.",
                )
                .to_string(),
            ));
            return;
        }
        let rows = self
            .off_track
            .iter()
            .map(|o| {
                let value = match (o.value, o.period) {
                    (Some(v), Some(p)) => {
                        format!("{}\n{}", lang.number(v, o.decimals), lang.period(&p))
                    }
                    (Some(v), None) => lang.number(v, o.decimals),
                    _ => "–".into(),
                };
                vec![
                    Cell::text(lang.name_of(o.kind, &o.unit_vi, o.unit_en.as_deref())),
                    Cell::text(lang.pick(&o.indicator_vi, &o.indicator_en)),
                    Cell::number(value),
                    Cell::text(lang.pick(&o.basis.0, &o.basis.1)).tone(Tone::Muted),
                    Cell::text(standing(lang, o.standing)).tone(Tone::of(o.standing)),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            dense: false,
            widths: vec![2.0, 3.0, 1.4, 3.0, 1.6],
            head: [
                lang.pick("Đơn vị", "Unit"),
                lang.pick("Chỉ tiêu", "Indicator"),
                lang.pick("Giá trị so sánh", "Value compared"),
                lang.pick("Căn cứ", "Basis"),
                lang.pick("Tình trạng", "Standing"),
            ]
            .map(str::to_string)
            .to_vec(),
            rows,
        }));
    }

    fn movers_part(&self, lang: Lang, out: &mut Vec<Block>) {
        out.push(Block::Heading(
            lang.pick(
                "III. ĐỊA PHƯƠNG, BỘ TÁC ĐỘNG ĐẾN CÁC CHỈ TIÊU CHỦ YẾU",
                "III. WHAT MOVED THE MAIN NATIONAL FIGURES",
            )
            .to_string(),
        ));
        if self.movers.is_empty() {
            out.push(Block::Paragraph(
                lang.pick(
                    "Chưa đủ số liệu hai kỳ liên tiếp để tách phần đóng góp của các đơn vị.",
                    "There are not yet two periods in a row to split into the units' parts.",
                )
                .to_string(),
            ));
            return;
        }
        const SHOWN: usize = 5;
        for c in &self.movers {
            let Some(f) = self.figures.iter().find(|f| f.indicator == c.indicator) else {
                continue;
            };
            let d = f.decimals;
            let change = c.change.map_or("–".into(), |v| lang.signed(v, d));
            let percent = c
                .percent
                .map(|p| format!(" ({}%)", lang.signed(p, 1)))
                .unwrap_or_default();
            out.push(Block::Subheading(format!(
                "{} ({}): {} → {}: {change}{percent}",
                lang.pick(&f.name_vi, &f.name_en),
                lang.pick(&f.measure_vi, &f.measure_en),
                lang.period(&c.from),
                lang.period(&c.to),
            )));
            let opt = |v: Option<f64>| v.map_or("–".into(), |v| lang.number(v, d));
            let points = |p: Option<f64>| p.map_or("–".into(), |p| lang.signed(p, 2));
            // A weighted mean's last column is its part's two pieces: of the value, of the
            // weight; a sum's, its points of the whole's per cent change.
            let weighted = c.weight.is_some();
            let last = |m: &crate::model::contribution::Contribution| match weighted {
                true => format!(
                    "{} / {}",
                    m.value_part.map_or("–".into(), |v| lang.signed(v, d)),
                    m.weight_part.map_or("–".into(), |v| lang.signed(v, d))
                ),
                false => points(m.points),
            };
            let mut rows: Vec<Vec<Cell>> = c
                .members
                .iter()
                .take(SHOWN)
                .map(|m| {
                    vec![
                        Cell::text(m.name_vi.clone()),
                        Cell::number(opt(m.before)),
                        Cell::number(opt(m.after)),
                        Cell::number(lang.signed(m.change, d)).bold(),
                        Cell::number(last(m)),
                    ]
                })
                .collect();
            let others: Vec<_> = c.members.iter().skip(SHOWN).collect();
            let rest = others.iter().map(|m| m.change).sum::<f64>() + c.rest.unwrap_or(0.0);
            if !others.is_empty() || c.rest.is_some_and(|r| r != 0.0) {
                let rest_points = c
                    .before
                    .filter(|b| *b != 0.0 && !weighted)
                    .map(|b| rest / b.abs() * 100.0);
                rows.push(vec![
                    Cell::text(format!(
                        "{} ({})",
                        lang.pick("Các đơn vị khác", "All others"),
                        others.len()
                    ))
                    .tone(Tone::Muted),
                    Cell::text(""),
                    Cell::text(""),
                    Cell::number(lang.signed(rest, d)),
                    Cell::number(points(rest_points)),
                ]);
            }
            out.push(Block::Table(Table {
                dense: false,
                // A mean's last column holds two numbers.
                widths: match weighted {
                    true => vec![2.8, 1.4, 1.4, 1.4, 2.0],
                    false => vec![3.0, 1.6, 1.6, 1.6, 1.4],
                },
                head: [
                    lang.pick("Đơn vị", "Unit"),
                    &lang.period(&c.from),
                    &lang.period(&c.to),
                    lang.pick("Đóng góp", "Part of the change"),
                    match weighted {
                        true => lang.pick("Giá trị / tỷ trọng", "Value / weight"),
                        false => lang.pick("Điểm %", "Points of %"),
                    },
                ]
                .map(str::to_string)
                .to_vec(),
                rows,
            }));
        }
    }

    fn reporting_part(&self, lang: Lang, out: &mut Vec<Block>) {
        out.push(Block::Heading(
            lang.pick(
                "IV. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC BỘ, ĐỊA PHƯƠNG",
                "IV. REPORTING BY THE MINISTRIES AND PROVINCES",
            )
            .to_string(),
        ));
        if self.reporting.is_empty() {
            out.push(Block::Paragraph(
                lang.pick(
                    "Chưa có kỳ báo cáo nào đến hạn.",
                    "No reporting period has come due yet.",
                )
                .to_string(),
            ));
            return;
        }
        let rows = self
            .reporting
            .iter()
            .map(|c| {
                let missing = c
                    .missing
                    .iter()
                    .map(|u| lang.unit_name(u))
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    Cell::text(format!(
                        "{}\n{}",
                        lang.pick(&c.name_vi, &c.name_en),
                        lang.pick(c.kind.label_vi(), c.kind.label_en())
                    )),
                    Cell::text(format!(
                        "{}\n{} {}",
                        lang.period(&c.period),
                        lang.pick("hạn", "due"),
                        lang.date(c.deadline)
                    )),
                    Cell::number(c.expected.to_string()),
                    Cell::number(c.on_time.to_string()).tone(Tone::Good),
                    Cell::number(c.late.to_string()).tone(if c.late > 0 {
                        Tone::Warn
                    } else {
                        Tone::Plain
                    }),
                    Cell::text(if missing.is_empty() {
                        "0".to_string()
                    } else {
                        format!("{}: {missing}", c.missing.len())
                    })
                    .tone(if c.missing.is_empty() {
                        Tone::Plain
                    } else {
                        Tone::Bad
                    }),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            dense: false,
            widths: vec![2.6, 1.6, 1.0, 1.0, 1.0, 3.4],
            head: [
                lang.pick("Chế độ báo cáo", "Reporting regime"),
                lang.pick("Kỳ", "Period"),
                lang.pick("Phải gửi", "Owed"),
                lang.pick("Đúng hạn", "On time"),
                lang.pick("Muộn", "Late"),
                lang.pick("Quá hạn, chưa gửi", "Overdue, not sent"),
            ]
            .map(str::to_string)
            .to_vec(),
            rows,
        }));
    }

    fn explanations_part(&self, lang: Lang, out: &mut Vec<Block>) {
        out.push(Block::Heading(
            lang.pick("V. YÊU CẦU GIẢI TRÌNH", "V. EXPLANATION REQUESTS")
                .to_string(),
        ));
        if self.explanations.is_empty() {
            out.push(Block::Paragraph(
                lang.pick(
                    "Không có yêu cầu giải trình nào đang chờ hoặc được trả lời trong tháng.",
                    "No explanation request is waiting or was answered in the month.",
                )
                .to_string(),
            ));
            return;
        }
        let rows = self
            .explanations
            .iter()
            .map(|e| {
                let tone = match e.timeliness {
                    crate::model::explanation::Timeliness::Overdue => Tone::Bad,
                    crate::model::explanation::Timeliness::AnsweredLate => Tone::Warn,
                    _ => Tone::Plain,
                };
                vec![
                    Cell::text(format!(
                        "{}\n{} · {}",
                        e.unit_vi,
                        lang.pick(&e.indicator_vi, &e.indicator_en),
                        lang.period(&e.period)
                    )),
                    Cell::text(e.question.clone()),
                    Cell::text(e.answer.clone().unwrap_or_else(|| "–".into())),
                    Cell::text(format!(
                        "{}\n{}{}",
                        e.state.label(lang),
                        e.timeliness.label(lang),
                        e.due
                            .map(|d| format!(" ({} {})", lang.pick("hạn", "due"), lang.date(d)))
                            .unwrap_or_default()
                    ))
                    .tone(tone),
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            dense: false,
            widths: vec![2.4, 3.0, 3.4, 2.0],
            head: [
                lang.pick("Đơn vị, chỉ tiêu", "Unit, figure"),
                lang.pick("Nội dung yêu cầu", "Question"),
                lang.pick("Giải trình", "Answer"),
                lang.pick("Tình trạng", "State"),
            ]
            .map(str::to_string)
            .to_vec(),
            rows,
        }));
    }

    fn tasks_part(&self, lang: Lang, out: &mut Vec<Block>) {
        let t = &self.tasks;
        out.push(Block::Heading(
            lang.pick(
                "VI. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CHÍNH PHỦ, THỦ TƯỚNG CHÍNH PHỦ GIAO",
                "VI. TASKS ASSIGNED BY THE GOVERNMENT AND THE PRIME MINISTER",
            )
            .to_string(),
        ));
        let total: u32 = t.counts.iter().map(|(_, n)| n).sum();
        if total == 0 {
            out.push(Block::Paragraph(
                lang.pick(
                    "Chưa có nhiệm vụ nào được giao.",
                    "No task has been assigned.",
                )
                .to_string(),
            ));
            return;
        }
        let mut rows: Vec<Vec<Cell>> = t
            .counts
            .iter()
            .map(|(class, n)| {
                let tone = match class {
                    TaskClass::Overdue if *n > 0 => Tone::Bad,
                    TaskClass::DoneLate if *n > 0 => Tone::Warn,
                    _ => Tone::Plain,
                };
                vec![
                    Cell::text(lang.pick(class.label_vi(), class.label_en())),
                    Cell::number(n.to_string()).tone(tone),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::text(lang.pick("Tổng số", "In all")).bold(),
            Cell::number(total.to_string()).bold(),
        ]);
        out.push(Block::Table(Table {
            dense: false,
            widths: vec![4.0, 1.0],
            head: vec![
                lang.pick("Phân loại", "Class").to_string(),
                lang.pick("Số nhiệm vụ", "Tasks").to_string(),
            ],
            rows,
        }));
        let list = |title: String,
                    tasks: Vec<&TaskLine>,
                    out: &mut Vec<Block>,
                    when: &dyn Fn(&TaskLine) -> String| {
            out.push(Block::Subheading(title));
            if tasks.is_empty() {
                out.push(Block::Remark(lang.pick("Không có.", "None.").to_string()));
                return;
            }
            out.push(Block::Table(Table {
                dense: false,
                widths: vec![4.6, 2.0, 1.6, 1.6],
                head: [
                    lang.pick("Nhiệm vụ", "Task"),
                    lang.pick("Đơn vị chủ trì", "Lead unit"),
                    lang.pick("Văn bản giao", "Assigned by"),
                    lang.pick("Thời hạn", "Deadline"),
                ]
                .map(str::to_string)
                .to_vec(),
                rows: tasks
                    .into_iter()
                    .map(|l| {
                        vec![
                            Cell::text(l.content.clone()),
                            Cell::text(l.lead_vi.clone()),
                            Cell::text(l.document.clone()),
                            Cell::text(when(l)),
                        ]
                    })
                    .collect(),
            }));
        };
        let deadline = |l: &TaskLine| {
            let d = l.extended_to.or(l.deadline);
            d.map_or("–".into(), |d| lang.date(d))
        };
        list(
            lang.pick(
                "1. Nhiệm vụ quá hạn, chưa hoàn thành",
                "1. Overdue, not done",
            )
            .to_string(),
            t.overdue.iter().flat_map(|u| u.tasks.iter()).collect(),
            out,
            &deadline,
        );
        list(
            format!(
                "{} {}",
                lang.pick(
                    "2. Nhiệm vụ đến hạn trong kỳ tới, đến ngày",
                    "2. Due in the next cycle, up to"
                ),
                t.next_cycle_ends.map_or("–".into(), |d| lang.date(d))
            ),
            t.due_soon.iter().collect(),
            out,
            &deadline,
        );
        list(
            lang.pick(
                "3. Nhiệm vụ hoàn thành quá hạn trong tháng",
                "3. Done late in the month",
            )
            .to_string(),
            t.done_late.iter().collect(),
            out,
            &|l: &TaskLine| {
                format!(
                    "{}\n{} {}",
                    deadline(l),
                    lang.pick("xong", "done"),
                    l.done_on.map_or("–".into(), |d| lang.date(d))
                )
            },
        );
        list(
            lang.pick(
                "4. Nhiệm vụ được gia hạn trong tháng",
                "4. Extensions granted in the month",
            )
            .to_string(),
            t.extended.iter().collect(),
            out,
            &|l: &TaskLine| {
                format!(
                    "{} → {}",
                    l.deadline.map_or("–".into(), |d| lang.date(d)),
                    l.extended_to.map_or("–".into(), |d| lang.date(d))
                )
            },
        );
    }
}

/// Annex `n`: one field's figures for the nation and each province, on a page of its own.
fn annex_part(lang: Lang, n: usize, annex: &Annex, out: &mut Vec<Block>) {
    out.push(Block::PageBreak);
    out.push(Block::Heading(format!(
        "{} {n}. {}",
        lang.pick("PHỤ LỤC", "ANNEX"),
        lang.pick(annex.field.label_vi(), annex.field.label_en())
            .to_uppercase()
    )));
    if annex.columns.is_empty() {
        out.push(Block::Paragraph(
            lang.pick(
                "Lĩnh vực này không có chỉ tiêu do các tỉnh, thành phố báo cáo có số liệu trong tháng.",
                "No indicator of this field reported by the provinces has figures for the month.",
            )
            .to_string(),
        ));
        return;
    }
    let mut head = vec![lang.pick("Đơn vị", "Unit").to_string()];
    head.extend(annex.columns.iter().map(|c| {
        format!(
            "{}\n({}, {})",
            lang.pick(&c.name_vi, &c.name_en),
            lang.pick(&c.measure_vi, &c.measure_en),
            lang.period(&c.period)
        )
    }));
    let rows = annex
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // The nation's row, first, in bold.
            let bold = |c: Cell| if i == 0 { c.bold() } else { c };
            let kind = if r.unit == crate::model::UnitCode::NATIONAL {
                crate::model::UnitKind::National
            } else {
                crate::model::UnitKind::Province
            };
            let name = lang.name_of(kind, &r.unit_vi, r.unit_en.as_deref());
            let mut row = vec![bold(Cell::text(name))];
            row.extend(annex.columns.iter().zip(&r.cells).map(|(c, cell)| {
                match cell {
                    Some(v) => bold(
                        Cell::number(lang.number(v.value, c.decimals))
                            .tone(v.standing.map_or(Tone::Plain, Tone::of)),
                    ),
                    None => Cell::number("–").tone(Tone::Muted),
                }
            }));
            row
        })
        .collect();
    let mut widths = vec![1.8];
    widths.extend(std::iter::repeat_n(1.0, annex.columns.len()));
    out.push(Block::Table(Table {
        dense: true,
        widths,
        head,
        rows,
    }));
    // Where the figures come from, each source once, in the order first met.
    let mut sources: Vec<crate::model::Source> = Vec::new();
    for c in annex.rows.iter().flat_map(|r| r.cells.iter().flatten()) {
        if !sources.contains(&c.source) {
            sources.push(c.source);
        }
    }
    if !sources.is_empty() {
        let names: Vec<&str> = sources.iter().map(|s| s.label(lang)).collect();
        out.push(Block::Remark(format!(
            "{} {}.",
            lang.pick("Nguồn số liệu:", "Sources:"),
            names.join(", ")
        )));
    }
    out.push(Block::Remark(
        lang.pick(
            "Màu số liệu: xanh đạt, vàng có nguy cơ, đỏ chậm so với mục tiêu, kế hoạch năm của đơn vị; xám: chưa đủ căn cứ đánh giá; đen: chưa giao mục tiêu; –: chưa có số liệu của kỳ.",
            "Colours: green on track, amber at risk, red off track against the unit's targets and plans for the year; grey: cannot judge yet; black: no target; –: no figure for the period.",
        )
        .to_string(),
    ));
}

fn figure_row(lang: Lang, f: &Figure) -> Vec<Cell> {
    let d = f.decimals;
    let source = format!(
        "{} · {}{}",
        lang.pick(&f.measure_vi, &f.measure_en),
        f.source.label(lang),
        if f.simulated && !f.source.is_simulated() {
            lang.pick(" · mô phỏng", " · simulated")
        } else {
            ""
        }
    );
    // As the screens say a change: per cent, points or a difference, by the indicator.
    let against = |other: Option<f64>| {
        other
            .and_then(|o| crate::model::view::Change::between(f.change, f.value, o))
            .map_or("–".into(), |c| {
                c.text_in(lang, d, (&f.measure_vi, &f.measure_en))
            })
    };
    let mut value = lang.number(f.value, d);
    if let Some(y) = &f.year_to_date {
        value.push_str(&format!(
            "\n{} {}",
            lang.pick("lũy kế", "YTD"),
            lang.number(y.sum, d)
        ));
    }
    let (standing_text, tone) = match (f.standing, &f.basis) {
        (Some(s), Some(b)) => (
            format!("{}\n{}", standing(lang, s), lang.pick(&b.0, &b.1)),
            Tone::of(s),
        ),
        _ => ("–".to_string(), Tone::Muted),
    };
    vec![
        Cell {
            text: format!("{}\n{source}", lang.pick(&f.name_vi, &f.name_en)),
            chart: f.points.iter().map(|(_, v)| *v).collect(),
            ..Default::default()
        },
        Cell::text(lang.period(&f.period)),
        Cell::number(value).bold(),
        Cell::number(against(f.previous.map(|(_, v)| v))),
        Cell::number(against(f.year_ago)),
        Cell::number(f.target.map_or("–".into(), |g| g.text(lang, d))),
        Cell::text(standing_text).tone(tone),
    ]
}
