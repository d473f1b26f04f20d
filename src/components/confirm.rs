//! A button that asks first: the first click shows what will happen, with
//! "confirm" and "keep" buttons. The confirming button looks dangerous unless
//! the step is `harmless` (accepting, reactivating).

use leptos::prelude::*;

#[component]
pub fn ConfirmButton(
    /// The button's text, e.g. "Cancel".
    #[prop(into)]
    label: String,
    /// The accessible name, e.g. "Cancel the invitation to ana@example.com".
    #[prop(into)]
    name: String,
    /// What will happen, said before it happens.
    #[prop(into)]
    question: String,
    /// The confirming button's text.
    confirm: &'static str,
    on_confirm: Callback<()>,
    /// Nothing is lost by confirming: the confirming button is the primary one.
    #[prop(optional)]
    harmless: bool,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let confirm_class = if harmless {
        "button button-primary"
    } else {
        "button button-danger"
    };
    view! {
        {move || if asking.get() {
            view! {
                <span class="confirm" role="group" aria-label="Confirm">
                    <span>{question.clone()}</span>
                    <button type="button" class=confirm_class on:click=move |_| {
                        asking.set(false);
                        on_confirm.run(());
                    }>{confirm}</button>
                    <button type="button" class="button" on:click=move |_| asking.set(false)>"Keep"</button>
                </span>
            }.into_any()
        } else {
            view! {
                <button type="button" class="button" aria-label=name.clone() on:click=move |_| asking.set(true)>{label.clone()}</button>
            }.into_any()
        }}
    }
}
