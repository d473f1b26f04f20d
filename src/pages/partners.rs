//! `/o/:slug/partners`: the Partners module's Organizations tab. Owners, admins
//! and billing admins ask another organization to partner (by the email of
//! someone there), and accept, reject or delete; others who hold the module see
//! the lists. The rules are DESIGN.md's table ([`crate::domain::partnership`]).

use super::org_layout::ShellResource;
use crate::components::confirm::ConfirmButton;
use crate::components::error_panel::LoadError;
use crate::components::form::{Field, FormAlert, Submit, field_error, form_error};
use crate::components::pager::Pager;
use crate::domain::page::Page;
use crate::domain::partnership::{ListPages, Listed, Move, PartnershipView, SendOutcome};
use crate::domain::time::date;
use crate::error::AppError;
use crate::server::partnerships::{SendPartnershipRequest, answer_partnership, list_partnerships};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

lazy_page!(PartnersRoute, PartnersPage);

/// A move's outcome, said after it is made.
fn done(mv: Move, title: &str) -> String {
    match mv {
        Move::Accept => format!("{title} is now a partner organization."),
        Move::Reject => format!("You rejected the request from {title}."),
        Move::Delete => format!("Deleted: {title} is no longer in your lists."),
    }
}

#[component]
pub fn PartnersPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let [received, sent, partners, rejected] = [(); 4].map(|_| RwSignal::new(1_u32));
    let lists = Resource::new(
        move || {
            let pages = ListPages {
                received: received.get(),
                sent: sent.get(),
                partners: partners.get(),
                rejected: rejected.get(),
            };
            (slug.get(), pages)
        },
        |(slug, pages)| list_partnerships(slug, pages),
    );
    let send = ServerAction::<SendPartnershipRequest>::new();
    let notice = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<AppError>);
    // The navigation counts waiting requests: an answer changes it.
    let shell = expect_context::<ShellResource>();
    let act = Callback::new(move |(id, version, mv, title): (Uuid, i64, Move, String)| {
        failure.set(None);
        leptos::task::spawn_local(async move {
            match answer_partnership(slug.get_untracked(), id, version, mv).await {
                Ok(()) => {
                    // What the send form said before no longer holds.
                    send.value().set(None);
                    notice.set(Some(done(mv, &title)));
                    shell.refetch();
                }
                Err(e) => {
                    notice.set(None);
                    failure.set(Some(e));
                }
            }
            lists.refetch();
        });
    });
    Effect::new(move |_| {
        if let Some(Ok(SendOutcome::Sent)) = send.value().get() {
            failure.set(None);
            notice.set(Some(
                "Request sent. It shows as “Sent – awaiting approval” until the other organization answers."
                    .into(),
            ));
            lists.refetch();
        }
    });
    let email_error = field_error(send.value(), "email");
    let send_error = form_error(send.value());
    let they_asked = move || match send.value().get() {
        Some(Ok(SendOutcome::TheyAsked {
            id,
            version,
            organization,
        })) => Some(view! {
            <div class="alert alert-info" role="status">
                <p>{format!("{organization} already asked to partner with your organization. Accept its request instead of sending one.")}</p>
                <button type="button" class="button button-primary"
                    on:click=move |_| { send.value().set(None); act.run((id, version, Move::Accept, organization.clone())); }>
                    "Accept their request"
                </button>
            </div>
        }),
        _ => None,
    };
    view! {
        <Title text="Partners · Consort" />
        <div class="page-head">
            <h1>"Partners"</h1>
            <p class="muted">"Organizations you work with. Partner organizations see each other's people in Contacts."</p>
        </div>
        {move || notice.get().map(|text| view! { <div class="alert alert-info" role="status">{text}</div> })}
        <FormAlert message=Signal::derive(move || failure.with(|f| f.as_ref().map(ToString::to_string))) />
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading partners…"</p> }>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok(data) => {
                        let may_act = data.may_act;
                        view! {
                            <PartnersTabs slug timeline=may_act current_timeline=false />
                            {may_act.then(|| view! {
                                <section class="card" aria-labelledby="send-heading">
                                    <h2 id="send-heading">"Ask an organization to partner"</h2>
                                    <ActionForm action=send attr:novalidate=true attr:class="inline-form">
                                        <input type="hidden" name="slug" value=slug.get_untracked() />
                                        <FormAlert message=send_error />
                                        <Field label="Email of someone in the other organization" name="email" kind="email"
                                            hint="Any team member's address: the request goes to their organization, and any of its owners, admins or billing admins can answer."
                                            error=email_error />
                                        <Submit label="Send request" busy_label="Sending…" pending=send.pending() />
                                    </ActionForm>
                                    {they_asked}
                                </section>
                            })}
                            <Section title="Received requests" empty="No requests are waiting for your answer."
                                rows=data.received page=received may_act act inline=true />
                            <Section title="Sent requests" empty="You have no requests waiting for an answer."
                                rows=data.sent page=sent may_act act inline=false />
                            <Section title="Partner organizations" empty="No partner organizations yet. Send a request to start one."
                                rows=data.partners page=partners may_act act inline=false />
                            <Section title="Rejected" empty="Nothing rejected."
                                rows=data.rejected page=rejected may_act act inline=false />
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The Partners module's tabs: Organizations, and for those who act on
/// partnerships, Timeline.
#[component]
pub fn PartnersTabs(slug: Signal<String>, timeline: bool, current_timeline: bool) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label="Partners">
            <a aria-current=(!current_timeline).then_some("page")
                href=move || format!("/o/{}/partners", slug.get())>"Organizations"</a>
            {timeline.then(|| view! {
                <a aria-current=current_timeline.then_some("page")
                    href=move || format!("/o/{}/partners/timeline", slug.get())>"Timeline"</a>
            })}
        </nav>
    }
}

/// One of the four lists, a page at a time.
#[component]
fn Section(
    title: &'static str,
    empty: &'static str,
    rows: Page<PartnershipView>,
    page: RwSignal<u32>,
    may_act: bool,
    act: Callback<(Uuid, i64, Move, String)>,
    /// Moves as buttons on the row (received requests) rather than in a menu.
    inline: bool,
) -> impl IntoView {
    let (total, pages) = (rows.total, rows.pages());
    view! {
        <section class="card partner-section" aria-label=title>
            <h2>{title}" "<span class="count">{total}</span></h2>
            {if rows.items.is_empty() {
                view! { <p class="muted empty-line">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="partner-rows">
                        {rows.items.into_iter().map(|row| view! { <Row row may_act act inline /> }).collect_view()}
                    </ul>
                    {(pages > 1).then(|| view! { <Pager page pages=Signal::derive(move || pages) label=title /> })}
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Row(
    row: PartnershipView,
    may_act: bool,
    act: Callback<(Uuid, i64, Move, String)>,
    inline: bool,
) -> impl IntoView {
    let title = row.title();
    let sent = match &row.sent_by {
        Some(by) => format!("Sent by {by} on {}", date(row.sent_at)),
        None => format!("Sent on {}", date(row.sent_at)),
    };
    let answered = match (row.listed(), &row.answered_by, row.answered_at) {
        (Listed::Partner, Some(by), Some(_)) => Some(format!("Accepted by {by}")),
        (Listed::Rejected, Some(by), Some(at)) => Some(format!("Rejected by {by} on {}", date(at))),
        (Listed::Rejected, None, Some(at)) => Some(format!("Rejected on {}", date(at))),
        _ => None,
    };
    let address = row
        .address
        .clone()
        .filter(|a| row.organization.is_some() && *a != title);
    let buttons = move |row: &PartnershipView| {
        row.moves()
            .iter()
            .map(|mv| {
                let mv = *mv;
                let (id, version, title) = (row.id, row.version, row.title());
                let name = format!("{} {title}", mv.label());
                view! {
                    <ConfirmButton label=mv.label() name question=row.confirmation(mv)
                        confirm=mv.label() harmless=mv == Move::Accept on_confirm=Callback::new(move |_| act.run((id, version, mv, title.clone()))) />
                }
            })
            .collect_view()
    };
    let menu_open = RwSignal::new(false);
    let menu_id = format!("actions-{}", row.id);
    view! {
        <li class="partner-row" aria-label=title.clone()>
            <div class="partner-who">
                <p class="partner-name">{title.clone()}</p>
                {address.map(|a| view! { <p class="muted">"Sent to "{a}</p> })}
                <p class="muted">{sent}</p>
                {answered.map(|a| view! { <p class="muted">{a}</p> })}
            </div>
            <span class=format!("badge status-{}", row.status.as_str())>{row.status_words()}</span>
            {(may_act && inline).then(|| view! { <div class="row-actions">{buttons(&row)}</div> })}
            {(may_act && !inline).then(|| view! {
                <div class="row-menu">
                    <button type="button" class="button" aria-expanded=move || menu_open.get().to_string()
                        aria-controls=menu_id.clone() aria-label=format!("Actions for {title}")
                        on:click=move |_| menu_open.update(|o| *o = !*o)>"Actions"</button>
                    <div id=menu_id.clone() class="row-menu-panel" hidden=move || !menu_open.get()>
                        {buttons(&row)}
                    </div>
                </div>
            })}
        </li>
    }
}
