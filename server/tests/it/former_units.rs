//! Units over time: the provinces merged on 1 July 2025 are still found by the names people
//! say and the addresses they kept, and lead to their successors, which say so.

use crate::common::running::start;

async fn a_former_province_leads_to_its_successor() {
    let app = start().await;
    // An old address (Bà Rịa - Vũng Tàu's 77, a code no unit uses now) goes to the successor.
    let res = app
        .http
        .get(format!("{}/units/77", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 307);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/units/79?former=77"
    );
    let (_, page) = app.page("/units/79?former=77", None).await;
    assert!(page.contains("data-testid=\"former-banner\""), "{page}");
    assert!(
        page.contains(
            "Tỉnh Bà Rịa - Vũng Tàu (mã 77), từ 01/07/2025 nay thuộc Thành phố Hồ Chí Minh"
        ),
        "the banner says where it went"
    );
    assert!(
        page.contains("Tỉnh Bình Dương (74)"),
        "and the city says what it includes"
    );

    // A former code in use again (Yên Bái's 15) is the current unit's: no redirect.
    let res = app
        .http
        .get(format!("{}/units/15", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("Lào Cai"));

    // Search by the former name, with or without diacritics, and by the abbreviations people type.
    for q in ["Kiên Giang", "kien%20giang"] {
        let (_, page) = app.page(&format!("/search?q={q}"), None).await;
        assert!(page.contains("nay thuộc An Giang"), "{q}: {page}");
        assert!(page.contains("/units/91?former=91"), "{q}");
    }
    let (_, page) = app.page("/search?q=TP.HCM", None).await;
    assert!(page.contains("href=\"/units/79\""), "{page}");
}

crate::harness::tests![tokio a_former_province_leads_to_its_successor];
