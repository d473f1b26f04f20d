//! Members → Invite users: addresses typed or pasted as chips (each with its
//! role) or a CSV file; permissions; a check of every address before anything
//! is sent; then the send, with a report that can be downloaded.

use super::list::TableWrap;
use crate::components::error_panel::encode_component;
use crate::components::form::toggle_in;
use crate::domain::address_list;
use crate::domain::invitation::{
    CheckReport, CheckedRow, CsvSource, DraftRow, InviteOptions, InviteSource, MAX_CSV_BYTES,
    Outcome, SendResult,
};
use crate::domain::module::Module;
use crate::domain::role::{MembershipKind, Role};
use crate::error::AppError;
use crate::server::invitations::{
    check_invitations, load_invite_options, resend_invitation, send_invitations,
};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
struct Chip {
    key: usize,
    input: String,
    email: Result<String, String>,
    kind: MembershipKind,
    role: Role,
    /// Restore a former member's access (chosen after a check).
    restore: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Addresses,
    Permissions,
    Review,
    Done,
}

/// Everything the dialog holds while it is open.
#[derive(Clone, Copy)]
struct Draft {
    chips: RwSignal<Vec<Chip>>,
    next_key: StoredValue<usize>,
    kind: RwSignal<MembershipKind>,
    modules: RwSignal<Vec<Module>>,
    /// Partners' last day of access (`YYYY-MM-DD`), empty for none.
    access_until: RwSignal<String>,
    all_sub_accounts: RwSignal<bool>,
    sub_accounts: RwSignal<Vec<Uuid>>,
    csv: RwSignal<Option<(String, String)>>,
    /// CSV rows switched to partner after a check.
    csv_partner_rows: RwSignal<Vec<usize>>,
    /// CSV rows whose former access is restored.
    csv_restore_rows: RwSignal<Vec<usize>>,
    step: RwSignal<Step>,
    report: RwSignal<Option<CheckReport>>,
    sent: RwSignal<Option<SendResult>>,
    busy: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
}

impl Draft {
    fn new(kind: MembershipKind) -> Draft {
        Draft {
            chips: RwSignal::new(vec![]),
            next_key: StoredValue::new(0),
            kind: RwSignal::new(kind),
            modules: RwSignal::new(vec![]),
            access_until: RwSignal::new(String::new()),
            all_sub_accounts: RwSignal::new(true),
            sub_accounts: RwSignal::new(vec![]),
            csv: RwSignal::new(None),
            csv_partner_rows: RwSignal::new(vec![]),
            csv_restore_rows: RwSignal::new(vec![]),
            step: RwSignal::new(Step::Addresses),
            report: RwSignal::new(None),
            sent: RwSignal::new(None),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Turns typed or pasted text into chips.
    fn add(&self, text: &str) {
        let entries = address_list::parse(text);
        if entries.is_empty() {
            return;
        }
        let kind = self.kind.get_untracked();
        self.chips.update(|chips| {
            for entry in entries {
                let key = self.next_key.get_value();
                self.next_key.set_value(key + 1);
                chips.push(Chip {
                    key,
                    input: entry.input,
                    email: entry
                        .email
                        .map(|e| e.to_string())
                        .map_err(|e| e.message().to_string()),
                    kind,
                    role: Role::User,
                    restore: false,
                });
            }
        });
        self.error.set(None);
        self.csv.set(None);
    }

    fn source(&self) -> InviteSource {
        if let Some((_, text)) = self.csv.get_untracked() {
            return InviteSource::Csv(CsvSource {
                text,
                kind: self.kind.get_untracked(),
                partner_rows: self.csv_partner_rows.get_untracked(),
                restore_rows: self.csv_restore_rows.get_untracked(),
            });
        }
        let modules = self.modules.get_untracked();
        let access_until = self.access_until.get_untracked();
        let sub_accounts =
            (!self.all_sub_accounts.get_untracked()).then(|| self.sub_accounts.get_untracked());
        InviteSource::Rows(
            self.chips
                .get_untracked()
                .into_iter()
                .map(|chip| DraftRow {
                    input: chip.input,
                    kind: chip.kind,
                    access_until: match chip.kind {
                        MembershipKind::Partner => access_until.clone(),
                        MembershipKind::Team => String::new(),
                    },
                    role: chip.role,
                    modules: modules.clone(),
                    sub_accounts: sub_accounts.clone(),
                    restore: chip.restore,
                })
                .collect(),
        )
    }

    /// Whether any address is invited as a partner.
    fn has_partners(&self) -> bool {
        self.chips
            .with(|chips| chips.iter().any(|c| c.kind == MembershipKind::Partner))
    }

    /// Every address becomes a team member or a partner.
    fn set_kind(&self, kind: MembershipKind) {
        self.kind.set(kind);
        self.chips
            .update(|chips| chips.iter_mut().for_each(|c| c.kind = kind));
    }

    /// After a check: the address of report row `row` becomes a partner.
    fn make_partner(&self, row: usize) {
        if self.csv.with_untracked(Option::is_some) {
            self.csv_partner_rows.update(|rows| rows.push(row));
        } else {
            self.update_chip(row, |chip| chip.kind = MembershipKind::Partner);
        }
    }

    /// Changes the chip of report row `row` (rows are numbered from 1).
    fn update_chip(&self, row: usize, change: impl FnOnce(&mut Chip)) {
        self.chips.update(|chips| {
            if let Some(chip) = row.checked_sub(1).and_then(|i| chips.get_mut(i)) {
                change(chip);
            }
        });
    }

    /// After a check: restore (or not) the former access of report row `row`.
    fn set_restore(&self, row: usize, restore: bool) {
        if self.csv.with_untracked(Option::is_some) {
            self.csv_restore_rows.update(|rows| {
                rows.retain(|r| *r != row);
                if restore {
                    rows.push(row);
                }
            });
        } else {
            self.update_chip(row, |chip| chip.restore = restore);
        }
    }

    fn fail(&self, error: AppError) {
        let message = error
            .message_for("csv")
            .or_else(|| error.message_for("addresses"))
            .unwrap_or_else(|| error.to_string());
        self.error.set(Some(message));
        self.busy.set(None);
    }
}

/// The "Invite users" and "Invite partner" buttons and their dialog, opened with
/// team members or partners chosen. `on_sent` runs after invitations were stored.
#[component]
pub fn InviteUsers(#[prop(into)] slug: Signal<String>, on_sent: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(None::<MembershipKind>);
    view! {
        <div class="actions">
            <button type="button" class="button" aria-haspopup="dialog"
                on:click=move |_| open.set(Some(MembershipKind::Partner))>"Invite partner"</button>
            <button type="button" class="button button-primary" aria-haspopup="dialog"
                on:click=move |_| open.set(Some(MembershipKind::Team))>"Invite users"</button>
        </div>
        {move || open.get().map(|kind| {
            let slug = slug.get_untracked();
            view! {
                <Suspense fallback=|| view! { <p class="loading" role="status">"Opening…"</p> }>
                    {Suspend::new(async move { dialog(slug, kind, open, on_sent).await })}
                </Suspense>
            }
        })}
    }
}

/// The dialog's code is a separate WebAssembly chunk, loaded when it first opens.
#[lazy]
fn dialog(
    slug: String,
    kind: MembershipKind,
    open: RwSignal<Option<MembershipKind>>,
    on_sent: Callback<()>,
) -> AnyView {
    view! { <InviteDialog slug kind open on_sent /> }.into_any()
}

#[component]
fn InviteDialog(
    slug: String,
    kind: MembershipKind,
    open: RwSignal<Option<MembershipKind>>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let draft = Draft::new(kind);
    provide_context(draft);
    let options = Resource::new(move || slug.clone(), load_invite_options);
    let close = move || open.set(None);
    let title = match kind {
        MembershipKind::Team => "Invite users",
        MembershipKind::Partner => "Invite partners",
    };
    view! {
        <div class="dialog-backdrop">
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="invite-title"
                on:keydown=move |ev: KeyboardEvent| {
                    if ev.key() == "Escape" {
                        close();
                    }
                }
            >
                <header class="dialog-head">
                    <h2 id="invite-title">{title}</h2>
                    <button type="button" class="icon-button" aria-label="Close" on:click=move |_| close()>"×"</button>
                </header>
                <Steps step=draft.step />
                <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match options.await {
                            Ok(options) => view! { <DialogBody draft options on_sent /> }.into_any(),
                            Err(error) => view! { <div class="alert alert-error" role="alert">{error.to_string()}</div> }.into_any(),
                        }
                    })}
                </Suspense>
                {move || draft.busy.get().map(|label| view! {
                    <div class="progress" role="status"><progress aria-label=label.clone()></progress>" "{label.clone()}</div>
                })}
                {move || draft.error.get().map(|message| view! { <div class="alert alert-error" role="alert">{message}</div> })}
            </div>
        </div>
    }
}

#[component]
fn Steps(step: RwSignal<Step>) -> impl IntoView {
    let item = move |this: Step, label: &'static str| {
        view! { <li aria-current=move || (step.get() == this).then_some("step")>{label}</li> }
    };
    view! {
        <ol class="steps" aria-label="Steps">
            {item(Step::Addresses, "Addresses")}
            {item(Step::Permissions, "Permissions")}
            {item(Step::Review, "Check")}
            {item(Step::Done, "Sent")}
        </ol>
    }
}

#[component]
fn DialogBody(draft: Draft, options: InviteOptions, on_sent: Callback<()>) -> impl IntoView {
    let options = StoredValue::new(options);
    move || match draft.step.get() {
        Step::Addresses => {
            view! { <Addresses draft roles=options.with_value(|o| o.roles.clone()) /> }.into_any()
        }
        Step::Permissions => view! { <Permissions draft options=options.get_value() /> }.into_any(),
        Step::Review => view! { <Review draft on_sent /> }.into_any(),
        Step::Done => view! { <Done draft /> }.into_any(),
    }
}

/// Runs the server check and moves to the review step.
fn run_check(draft: Draft, slug: String) {
    let rows = match draft.source() {
        InviteSource::Csv(csv) => csv.text.lines().count().saturating_sub(1),
        InviteSource::Rows(rows) => rows.len(),
    };
    draft.busy.set(Some(format!(
        "Checking {rows} address{}…",
        if rows == 1 { "" } else { "es" }
    )));
    draft.error.set(None);
    leptos::task::spawn_local(async move {
        match check_invitations(slug, draft.source()).await {
            Ok(report) => {
                draft.report.set(Some(report));
                draft.busy.set(None);
                draft.step.set(Step::Review);
            }
            Err(error) => {
                // A file that failed its check is dropped: what is typed next is checked.
                draft.csv.set(None);
                draft.fail(error);
            }
        }
    });
}

fn current_slug() -> String {
    leptos_router::hooks::use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default()
}

#[component]
fn Addresses(draft: Draft, roles: Vec<Role>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let slug = current_slug();
    let roles = StoredValue::new(roles);
    let commit = move || {
        let value = text.get_untracked();
        if !value.trim().is_empty() {
            draft.add(&value);
            text.set(String::new());
        }
    };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        let open_bracket = value.matches('<').count() > value.matches('>').count();
        let open_quote = value.matches('"').count() % 2 == 1;
        if !open_bracket && !open_quote && value.contains([',', ';', '\n']) {
            draft.add(&value);
            text.set(String::new());
        } else {
            text.set(value);
        }
    };
    let chips_ok = move || {
        draft
            .chips
            .with(|c| !c.is_empty() && c.iter().all(|c| c.email.is_ok()))
    };
    let check_slug = slug.clone();
    view! {
        <fieldset class="kind-choice">
            <legend>"Invite as"</legend>
            <label><input type="radio" name="kind" checked=move || draft.kind.get() == MembershipKind::Team
                on:change=move |_| draft.set_kind(MembershipKind::Team) />" Team members"</label>
            <label><input type="radio" name="kind" checked=move || draft.kind.get() == MembershipKind::Partner
                on:change=move |_| draft.set_kind(MembershipKind::Partner) />" Partners (they can belong to several organizations)"</label>
        </fieldset>
        <div class="field">
            <label for="invite-addresses">"Email addresses"</label>
            <p class="hint" id="invite-addresses-hint">"Type or paste addresses separated by commas, semicolons, spaces or new lines. “Name <address>” works too."</p>
            <textarea
                id="invite-addresses"
                rows="2"
                aria-describedby="invite-addresses-hint"
                prop:value=move || text.get()
                on:input=on_input
                on:blur=move |_| commit()
                on:keydown=move |ev: KeyboardEvent| {
                    if ev.key() == "Enter" && !ev.shift_key() {
                        ev.prevent_default();
                        commit();
                    }
                }
            ></textarea>
        </div>
        <ul class="chips" aria-label="Addresses to invite">
            <For each=move || draft.chips.get() key=|chip| (chip.key, chip.role, chip.kind) let:chip>
                <ChipView chip draft roles=roles.get_value() />
            </For>
        </ul>
        {move || draft.chips.with(Vec::is_empty).then(|| view! { <p class="muted empty">"No addresses yet."</p> })}
        <div class="csv-upload">
            <label class="button" for="invite-csv">"Upload CSV file"</label>
            <input id="invite-csv" class="visually-hidden" type="file" accept=".csv,text/csv"
                on:change=move |ev| read_csv(ev, draft, slug.clone()) />
            <a class="link" href="/sample-invitations.csv" download="sample-invitations.csv">"Sample CSV"</a>
            <span class="muted">" Columns: email, role, modules, sub_accounts, kind (1 MB, 10,000 rows at most)."</span>
        </div>
        <footer class="dialog-foot">
            <button type="button" class="button" disabled=move || !chips_ok()
                on:click=move |_| draft.step.set(Step::Permissions)>"Set permissions"</button>
            <button type="button" class="button button-primary" disabled=move || draft.chips.with(Vec::is_empty)
                on:click=move |_| run_check(draft, check_slug.clone())>"Check addresses"</button>
        </footer>
    }
}

#[component]
fn ChipView(chip: Chip, draft: Draft, roles: Vec<Role>) -> impl IntoView {
    let key = chip.key;
    let label = chip.email.clone().unwrap_or_else(|_| chip.input.clone());
    let problem = chip.email.clone().err();
    let invalid = problem.is_some();
    let role_label = format!("Role for {label}");
    let remove_label = format!("Remove {label}");
    let set_role = move |ev| {
        let role = Role::parse(&event_target_value(&ev)).unwrap_or(Role::User);
        draft.chips.update(|chips| {
            if let Some(c) = chips.iter_mut().find(|c| c.key == key) {
                c.role = role;
            }
        });
    };
    view! {
        <li class="chip" class:chip-invalid=invalid>
            <span class="chip-address">{label}</span>
            {(chip.kind == MembershipKind::Partner).then(|| view! { <span class="badge">"Partner"</span> })}
            <select aria-label=role_label on:change=set_role>
                {roles.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=r == chip.role>{r.label()}</option>
                }).collect_view()}
            </select>
            <button type="button" class="icon-button" aria-label=remove_label
                on:click=move |_| draft.chips.update(|c| c.retain(|c| c.key != key))>"×"</button>
            {problem.map(|p| view! { <span class="chip-problem">{p}</span> })}
        </li>
    }
}

#[component]
fn Permissions(draft: Draft, options: InviteOptions) -> impl IntoView {
    let slug = current_slug();
    let has_subs = !options.sub_accounts.is_empty();
    view! {
        <fieldset class="checks">
            <legend>"Modules for users and billing admins"</legend>
            <p class="hint">"Owners and admins have every module. Members, Billing, Audit log and Settings are never given to the role User."</p>
            {Module::ALL.into_iter().filter(|m| !m.admin_only()).map(|module| view! {
                <label><input type="checkbox" checked=move || draft.modules.with(|m| m.contains(&module))
                    on:change=move |_| toggle_in(draft.modules, module) />" "{module.label()}</label>
            }).collect_view()}
        </fieldset>
        {move || draft.has_partners().then(|| view! {
            <div class="field">
                <label for="invite-access-until">"Partners' last day of access (optional)"</label>
                <input id="invite-access-until" type="date" prop:value=move || draft.access_until.get()
                    aria-describedby="invite-access-until-hint"
                    on:input=move |ev| draft.access_until.set(event_target_value(&ev)) />
                <p class="hint" id="invite-access-until-hint">"Their access ends by itself after this day, with an email to them and to you a week before. Leave it empty for no end."</p>
            </div>
        })}
        <fieldset class="checks">
            <legend>"Sub-account access"</legend>
            <label><input type="radio" name="subs" checked=move || draft.all_sub_accounts.get()
                on:change=move |_| draft.all_sub_accounts.set(true) />" All sub-accounts"</label>
            <label><input type="radio" name="subs" disabled=!has_subs checked=move || !draft.all_sub_accounts.get()
                on:change=move |_| draft.all_sub_accounts.set(false) />" Only the ones ticked below"</label>
            {(!has_subs).then(|| view! { <p class="muted">"This organization has no sub-accounts yet (Settings → Sub-accounts)."</p> })}
            {options.sub_accounts.into_iter().map(|sub| {
                let id = sub.id;
                view! {
                    <label class="indent"><input type="checkbox" disabled=move || draft.all_sub_accounts.get()
                        checked=move || draft.sub_accounts.with(|s| s.contains(&id))
                        on:change=move |_| toggle_in(draft.sub_accounts, id) />" "{sub.name}</label>
                }
            }).collect_view()}
        </fieldset>
        <footer class="dialog-foot">
            <button type="button" class="button" on:click=move |_| draft.step.set(Step::Addresses)>"Back"</button>
            <button type="button" class="button button-primary" on:click=move |_| run_check(draft, slug.clone())>"Check addresses"</button>
        </footer>
    }
}

#[component]
fn Review(draft: Draft, on_sent: Callback<()>) -> impl IntoView {
    let slug = current_slug();
    let report = move || draft.report.get().unwrap_or_default();
    let count = move || report().will_invite();
    let send = move |_| {
        let slug = slug.clone();
        let n = count();
        draft.busy.set(Some(format!(
            "Sending {n} invitation{}…",
            if n == 1 { "" } else { "s" }
        )));
        draft.error.set(None);
        leptos::task::spawn_local(async move {
            match send_invitations(slug, draft.source()).await {
                Ok(result) => {
                    draft.report.set(Some(result.report.clone()));
                    draft.sent.set(Some(result));
                    draft.busy.set(None);
                    draft.step.set(Step::Done);
                    on_sent.run(());
                }
                Err(error) => draft.fail(error),
            }
        });
    };
    let back = move |_| {
        draft.csv.set(None);
        draft.csv_partner_rows.set(vec![]);
        draft.csv_restore_rows.set(vec![]);
        draft.step.set(Step::Addresses);
    };
    view! {
        <p class="summary" role="status">
            {move || format!("{} will be invited, {} skipped.", count(), report().skipped())}
            {move || draft.csv.get().map(|(name, _)| format!(" (from {name})"))}
        </p>
        <ReportTable />
        <footer class="dialog-foot">
            <button type="button" class="button" on:click=back>"Back"</button>
            <ReportDownload />
            <button type="button" class="button button-primary" disabled=move || count() == 0 || draft.busy.get().is_some() on:click=send>
                {move || format!("Send {} invitation{}", count(), if count() == 1 { "" } else { "s" })}
            </button>
        </footer>
    }
}

/// The report of the latest check, one row per address.
#[component]
fn ReportTable() -> impl IntoView {
    let draft = expect_draft();
    let slug = StoredValue::new(current_slug());
    view! {
        <TableWrap label="What will happen to each address" class="report">
            <table>
                <caption class="visually-hidden">"What will happen to each address"</caption>
                <thead><tr><th scope="col">"Row"</th><th scope="col">"Address"</th><th scope="col">"Role"</th><th scope="col">"Outcome"</th></tr></thead>
                <tbody>
                    {move || draft.report.get().unwrap_or_default().rows.into_iter().take(500).map(|row| {
                        let ok = row.outcome.is_ok();
                        view! {
                            <tr class:row-ok=ok class:row-skipped=!ok>
                                <td>{row.row}</td>
                                <td>{row.email.clone().unwrap_or(row.input.clone())}</td>
                                <td>{row.role.map(|r| r.label()).unwrap_or("—")}{(row.kind == Some(MembershipKind::Partner)).then_some(" · partner")}</td>
                                <td>
                                    <strong>{row.outcome.label()}</strong><br /><span class="muted">{row.outcome.explain()}</span>
                                    {former_offer(&row, draft, slug.get_value())}
                                    {match row.outcome {
                                        Outcome::AlreadyInvited { invitation_id } => Some(view! {
                                            <ResendOffer slug=slug.get_value() id=invitation_id email=row.email.clone().unwrap_or_default() />
                                        }.into_any()),
                                        Outcome::TeamElsewhere if draft.step.get_untracked() == Step::Review => {
                                            let number = row.row;
                                            let label = format!("Invite {} as a partner instead", row.email.clone().unwrap_or_default());
                                            Some(view! {
                                                <button type="button" class="link-button" aria-label=label
                                                    on:click=move |_| {
                                                        draft.make_partner(number);
                                                        run_check(draft, slug.get_value());
                                                    }>"Invite as partner instead"</button>
                                            }.into_any())
                                        }
                                        _ => None,
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || {
                let total = draft.report.with(|r| r.as_ref().map(|r| r.rows.len()).unwrap_or(0));
                (total > 500).then(|| view! { <p class="muted">{format!("The first 500 of {total} rows are shown; download the report for all of them.")}</p> })
            }}
        </TableWrap>
    }
}

/// A former member (removed or left within 90 days): what they had, and during
/// the check a choice to restore it, which checks the list again.
fn former_offer(row: &CheckedRow, draft: Draft, slug: String) -> Option<AnyView> {
    let former = row.former.as_ref()?;
    let email = row.email.clone().unwrap_or_default();
    let restored = row.restored;
    let number = row.row;
    let choice = (draft.step.get_untracked() == Step::Review).then(|| {
        let label = format!("{RESTORE}: {email}");
        view! {
            <label class="former-choice">
                <input type="checkbox" aria-label=label checked=restored
                    on:change=move |ev| {
                        draft.set_restore(number, event_target_checked(&ev));
                        run_check(draft, slug.clone());
                    } />
                " "{RESTORE}
            </label>
        }
    });
    Some(view! {
        <div class="former">
            <span class="badge">{if restored { "Former access restored" } else { "Former member" }}</span>
            " "<span class="muted">{format!("{}; had {}.", former.departed(), former.summary())}</span>
            {choice}
        </div>
    }.into_any())
}

const RESTORE: &str = "Restore their former role, modules and sub-accounts";

/// "Already invited": resend the pending invitation from here.
#[component]
fn ResendOffer(slug: String, id: Uuid, email: String) -> impl IntoView {
    let state = RwSignal::new(None::<Result<(), AppError>>);
    let resend = move |_| {
        let slug = slug.clone();
        leptos::task::spawn_local(async move {
            state.set(Some(resend_invitation(slug, id).await));
        });
    };
    view! {
        {move || match state.get() {
            None => view! {
                <button type="button" class="link-button" aria-label=format!("Resend the pending invitation to {email}") on:click=resend.clone()>"Resend it now"</button>
            }.into_any(),
            Some(Ok(())) => view! { <span role="status">"Resent: a new link is on its way."</span> }.into_any(),
            Some(Err(error)) => view! { <span class="field-error" role="alert">{error.to_string()}</span> }.into_any(),
        }}
    }
}

#[component]
fn ReportDownload() -> impl IntoView {
    let draft = expect_draft();
    let href = move || {
        draft.report.with(|r| {
            r.as_ref().map(|r| {
                format!(
                    "data:text/csv;charset=utf-8,{}",
                    encode_component(&r.to_csv())
                )
            })
        })
    };
    view! { <a class="button" href=href download="invitation-report.csv">"Download report"</a> }
}

fn expect_draft() -> Draft {
    expect_context::<Draft>()
}

#[component]
fn Done(draft: Draft) -> impl IntoView {
    let invited = move || draft.sent.get().map(|s| s.invited).unwrap_or(0);
    view! {
        <div class="alert alert-info" role="status">
            {move || format!("{} invitation{} sent. They appear in the Invitations tab until accepted.", invited(), if invited() == 1 { "" } else { "s" })}
        </div>
        <ReportTable />
        <footer class="dialog-foot">
            <ReportDownload />
        </footer>
    }
}

/// Reads the chosen CSV file (after checking its size) and checks it.
fn read_csv(ev: leptos::ev::Event, draft: Draft, slug: String) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let size = file.size() as usize;
        if size > MAX_CSV_BYTES {
            draft.error.set(Some(format!(
                "The file is {:.1} MB; the limit is 1 MB (about 10,000 rows). Split it into smaller files.",
                size as f64 / 1_048_576.0
            )));
            return;
        }
        let name = file.name();
        draft.busy.set(Some(format!("Reading {name}…")));
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text {
                Some(text) => {
                    draft.csv.set(Some((name, text)));
                    draft.csv_partner_rows.set(vec![]);
                    draft.csv_restore_rows.set(vec![]);
                    run_check(draft, slug);
                }
                None => draft.fail(AppError::field("csv", "The file could not be read.")),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, draft, slug, MAX_CSV_BYTES);
}
