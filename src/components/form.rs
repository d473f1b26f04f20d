//! Form fields with their label and error message, form-level alerts, and the
//! submit button with its busy state.

use crate::error::AppError;
use leptos::prelude::*;

/// The error message for `field` in the latest result of an action.
pub fn field_error<T: 'static>(
    value: impl With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        value.with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.message_for(field))
        })
    })
}

/// The message for the whole form in the latest result of an action.
pub fn form_error<T: 'static>(
    value: impl With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        value.with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(AppError::form_message)
        })
    })
}

/// Whether the latest run of an action succeeded.
pub fn succeeded<T: 'static>(
    value: impl With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<bool> {
    Signal::derive(move || value.with(|v| matches!(v, Some(Ok(_)))))
}

/// Adds `item` to the list, or takes it out if it is there (checkbox groups).
pub fn toggle_in<T: PartialEq + Send + Sync + 'static>(list: RwSignal<Vec<T>>, item: T) {
    list.update(|items| match items.iter().position(|x| *x == item) {
        Some(i) => {
            items.remove(i);
        }
        None => items.push(item),
    });
}

/// A labelled input with an optional hint and its error message.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] readonly: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                readonly=readonly
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
            />
            {move || {
                error.get().map(|message| view! { <p class="field-error" id=error_id.clone() role="alert">{message}</p> })
            }}
        </div>
    }
}

/// A message about the whole form.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|text| view! { <div class="alert alert-error" role="alert">{text}</div> })
    }
}

/// A notice (success or information), shown while `when` holds.
#[component]
pub fn Notice(#[prop(into)] when: Signal<bool>, text: &'static str) -> impl IntoView {
    move || {
        when.get()
            .then(|| view! { <div class="alert alert-info" role="status">{text}</div> })
    }
}

/// The form's submit button; says what is happening while the action runs.
#[component]
pub fn Submit(
    label: &'static str,
    busy_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary" disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}
