//! `/o/:slug`: the organization's home page.

use super::org_layout::ShellResource;
use crate::domain::account::describe_lifetime;
use crate::domain::time::date;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrgHomePage() -> impl IntoView {
    let shell = expect_context::<ShellResource>();
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                shell.await.ok().map(|data| {
                    let org = data.organization;
                    let members = org.member_count();
                    view! {
                        // A stored name: <EscapeTitles /> in App escapes it in the server's HTML.
                        <Title text=format!("{} · Consort", org.name) />
                        <div class="page-head">
                            <h1>{org.name.clone()}</h1>
                            <p class="muted">"Welcome, "{data.viewer.name.clone()}". You are "<strong>{org.your_role.label()}</strong>" here ("{org.your_kind.noun()}")."</p>
                        </div>
                        <section class="tiles" aria-label="Organization at a glance">
                            <div class="tile">
                                <p class="tile-label">"Members"</p>
                                <p class="tile-value">{members}</p>
                                <p class="muted">{format!("{} team member{}, {} partner{}", org.team_members, plural(org.team_members), org.partners, plural(org.partners))}</p>
                            </div>
                            <div class="tile">
                                <p class="tile-label">"Your role"</p>
                                <p class="tile-value">{org.your_role.label()}</p>
                                <p class="muted">{org.your_kind.label()}</p>
                            </div>
                            <div class="tile">
                                <p class="tile-label">"Invitations last"</p>
                                <p class="tile-value">{describe_lifetime(org.invitation_lifetime_secs)}</p>
                                <p class="muted">"Organization created "{date(org.created_at)}</p>
                            </div>
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
