//! `/o/:slug/members/invitations`: open invitations — pending, expired and
//! failed deliveries — with resend and cancel.

use crate::components::confirm::ConfirmButton;
use crate::components::error_panel::LoadError;
use crate::components::list::{ListFooter, Outcome, TableWrap};
use crate::components::member_tabs::{MembersHead, MembersTab};
use crate::domain::invitation::{InvitationQuery, InvitationState, InvitationView};
use crate::domain::time::date_time;
use crate::error::AppError;
use crate::server::invitations::{cancel_invitation, list_invitations, resend_invitation};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

lazy_page!(InvitationsRoute, InvitationsPage);

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let page = RwSignal::new(1_u32);
    let search = RwSignal::new(String::new());
    let state = RwSignal::new(None::<InvitationState>);
    let invitations = Resource::new(
        move || (slug.get(), search.get(), state.get(), page.get()),
        |(slug, search, state, page)| {
            list_invitations(
                slug,
                InvitationQuery {
                    state,
                    search,
                    page,
                },
            )
        },
    );
    let notice = RwSignal::new(None::<Result<String, String>>);
    let refresh = Callback::new(move |_| invitations.refetch());
    let act = move |result: Result<(), AppError>, done: String| {
        notice.set(Some(result.map(|_| done).map_err(|e| e.to_string())));
        invitations.refetch();
    };
    let resend = Callback::new(move |inv: InvitationView| {
        leptos::task::spawn_local(async move {
            act(
                resend_invitation(slug.get_untracked(), inv.id).await,
                format!(
                    "A new invitation was sent to {}; the previous link no longer works.",
                    inv.email
                ),
            );
        });
    });
    let cancel = Callback::new(move |inv: InvitationView| {
        leptos::task::spawn_local(async move {
            act(
                cancel_invitation(slug.get_untracked(), inv.id).await,
                format!("The invitation to {} was cancelled.", inv.email),
            );
        });
    });
    view! {
        <Title text="Pending invitations · Consort" />
        <MembersHead current=MembersTab::Invitations can_invite=true on_sent=refresh />
        <form class="toolbar" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="invitation-search">"Search invitations"</label>
            <input id="invitation-search" type="search" placeholder="Email"
                on:input=move |ev| { search.set(event_target_value(&ev)); page.set(1); } />
            <label for="invitation-state">"Show"</label>
            <select id="invitation-state" on:change=move |ev| {
                state.set(InvitationState::parse(&event_target_value(&ev)));
                page.set(1);
            }>
                <option value="">"All open invitations"</option>
                <option value="pending">"Pending"</option>
                <option value="expired">"Expired"</option>
                <option value="failed">"Delivery failed"</option>
            </select>
        </form>
        <Outcome notice />
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading invitations…"</p> }>
            {move || Suspend::new(async move {
                match invitations.await {
                    Ok(list) if list.items.is_empty() => view! {
                        <div class="empty">
                            <p><strong>"No open invitations."</strong></p>
                            <p class="muted">"Invite people with “Invite users”. Accepted invitations move to Active users."</p>
                        </div>
                    }.into_any(),
                    Ok(list) => {
                        let (total, pages) = (list.total, list.pages());
                        view! {
                            <TableWrap label="Open invitations" class="stack">
                                <table>
                                    <caption class="visually-hidden">"Open invitations"</caption>
                                    <thead><tr>
                                        <th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Status"</th>
                                        <th scope="col">"Invited by"</th><th scope="col">"Sent"</th><th scope="col">"Expires"</th>
                                        <th scope="col">"Delivery"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|inv| view! { <Row inv resend cancel /> }).collect_view()}
                                    </tbody>
                                </table>
                            </TableWrap>
                            <ListFooter page total pages noun="open invitation" label="Invitation pages" />
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Row(
    inv: InvitationView,
    resend: Callback<InvitationView>,
    cancel: Callback<InvitationView>,
) -> impl IntoView {
    let (for_resend, for_cancel) = (inv.clone(), inv.clone());
    let badge = format!("badge badge-{}", inv.state.as_str());
    view! {
        <tr>
            <td data-label="Email">{inv.email.clone()}</td>
            <td data-label="Role">{inv.role.label()}{(inv.kind == crate::domain::role::MembershipKind::Partner).then_some(" · partner")}{inv.access_until.map(|day| format!(" until {}", crate::domain::time::short_date(day)))}</td>
            <td data-label="Status"><span class=badge>{inv.state.label()}</span></td>
            <td data-label="Invited by">{inv.inviter.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="Sent">{date_time(inv.sent_at)}{(inv.send_count > 1).then(|| format!(" (sent {} times)", inv.send_count))}</td>
            <td data-label="Expires">{date_time(inv.expires_at)}</td>
            <td data-label="Delivery">{inv.delivery.label()}</td>
            <td class="actions">
                <button type="button" class="button" aria-label=format!("Resend the invitation to {}", inv.email)
                    on:click=move |_| resend.run(for_resend.clone())>"Resend"</button>
                <ConfirmButton
                    label="Cancel"
                    name=format!("Cancel the invitation to {}", inv.email)
                    question=format!("Cancel the invitation to {}? Its link stops working.", inv.email)
                    confirm="Cancel invitation"
                    on_confirm=Callback::new(move |_| cancel.run(for_cancel.clone()))
                />
            </td>
        </tr>
    }
}
