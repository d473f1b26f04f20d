//! Saves text the server produced (a CSV export) as a file in the browser.

/// Offers `content` to the person as the file `name` (a Blob link, clicked).
/// On the server it does nothing: exports are made on request, in the browser.
#[cfg(feature = "hydrate")]
pub fn save_file(name: &str, mime: &str, content: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |e: wasm_bindgen::JsValue| format!("The file could not be saved: {e:?}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).map_err(fail)?;
    Ok(())
}

#[cfg(not(feature = "hydrate"))]
pub fn save_file(_name: &str, _mime: &str, _content: &str) -> Result<(), String> {
    Ok(())
}
