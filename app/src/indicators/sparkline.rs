use leptos::prelude::*;

const W: f64 = 120.0;
const H: f64 = 32.0;

/// The `points` attribute of an SVG polyline scaled into a W×H box, or `None` under two values.
pub fn polyline(values: &[f64]) -> Option<String> {
    if values.len() < 2 {
        return None;
    }
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let span = if (max - min).abs() < f64::EPSILON {
        1.0
    } else {
        max - min
    };
    let step = W / (values.len() - 1) as f64;
    Some(
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    "{:.1},{:.1}",
                    i as f64 * step,
                    H - 2.0 - (v - min) / span * (H - 4.0)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[component]
pub fn Sparkline(values: Vec<f64>, #[prop(into)] label: String) -> impl IntoView {
    polyline(&values).map(|points| {
        view! {
            <svg class="sparkline" viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" role="img" aria-label=label>
                <polyline points=points fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke"/>
            </svg>
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn scales_into_the_box() {
        let p = super::polyline(&[1.0, 3.0, 2.0]).unwrap();
        assert_eq!(p, "0.0,30.0 60.0,2.0 120.0,16.0");
        assert!(super::polyline(&[1.0]).is_none());
    }
}
