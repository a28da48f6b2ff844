//! `/entry`: the reports a unit owes this week, for its officers and approvers only.

use crate::common;

use crate::common::running::start;

async fn officers_and_approvers_see_what_their_unit_owes_and_others_are_told_why_not() {
    let app = start().await;
    // Whatever today is, each officer and approver gets their unit's list, or a clear word
    // that nothing is due (the next test fixes the rules so that something is).
    for who in ["canbo.hanoi", "pheduyet.hanoi"] {
        let cookie = app.cookie_for(who).await;
        let (_, html) = app.page("/entry", Some(&cookie)).await;
        let section = html
            .split("data-testid=\"due\" data-unit=\"01\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{who}: Hà Nội's list"));
        assert!(section.contains("Thành phố Hà Nội"), "{who}");
        let due = section.split("Sắp đến hạn").nth(1).unwrap_or_default();
        assert!(
            due.contains("data-regime=") || due.contains("Không có báo cáo nào đến hạn"),
            "{who}: a list or a clear word that nothing is due"
        );
        assert!(
            html.contains("href=\"/entry\""),
            "{who}: the top bar leads here"
        );
    }
    // The ministry's officer sees the ministry's list, not Hà Nội's.
    let cookie = app.cookie_for("canbo.btc").await;
    let (_, html) = app.page("/entry", Some(&cookie)).await;
    assert!(html.contains("data-unit=\"BTC\""));
    assert!(!html.contains("data-unit=\"01\""));

    // A leader reports for no unit: told so, with the reason; nobody signed in: asked to.
    let cookie = app.cookie_for("lanhdao").await;
    let res = app
        .http
        .post(format!("{}/fn/entry_due", app.base))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert!(res.text().await.unwrap().contains("cán bộ báo cáo"));
    let (_, html) = app.page("/entry", Some(&cookie)).await;
    assert!(html.contains("data-testid=\"refused\""));
    assert!(
        !html.contains("href=\"/entry\""),
        "no link for those it does not serve"
    );
    let res = app
        .http
        .post(format!("{}/fn/entry_due", app.base))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
}

async fn a_report_due_under_the_stored_rules_is_listed_with_its_deadline() {
    use app::model::reporting::ReportingRules;
    let app = start().await;
    // Rules under which a report is due today, whatever today is: the month closes today and
    // is due 0 working days later.
    let today = common::today();
    use chrono::Datelike;
    let rules = ReportingRules {
        cutoff_day: today.day(),
        deadline_working_days: 0,
    };
    app.set_rules("KTXH-THANG", rules).await;
    let cookie = app.cookie_for("canbo.hanoi").await;
    let (_, html) = app.page("/entry", Some(&cookie)).await;
    let section = html
        .split("data-testid=\"due\" data-unit=\"01\"")
        .nth(1)
        .unwrap();
    let due = section.split("Sắp đến hạn").nth(1).unwrap();
    assert!(
        due.contains("data-regime=\"KTXH-THANG\"")
            && due.contains("Báo cáo tình hình kinh tế - xã hội hằng tháng"),
        "the month closing today is due today, by its regime's name"
    );
    assert!(section.contains("hôm nay"));
    let d = format!("{:02}/{:02}/{}", today.day(), today.month(), today.year());
    assert!(section.contains(&d), "its deadline, {d}");
}

crate::harness::tests![
    tokio officers_and_approvers_see_what_their_unit_owes_and_others_are_told_why_not,
    tokio a_report_due_under_the_stored_rules_is_listed_with_its_deadline,
];
