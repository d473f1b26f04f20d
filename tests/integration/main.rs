//! Integration tests. Each runs on a fresh SQLite file and, when
//! CONSORT_TEST_POSTGRES_URL is set, on a fresh PostgreSQL database too.
//! One test binary keeps link time down.

mod common;

mod access_ends;
mod access_requests;
mod accounts;
mod audit_log;
mod billing;
mod closing;
mod contacts;
mod database;
mod hardening;
mod hostile_text;
mod http_matrix;
mod inactivity;
mod invitations;
mod load;
mod mail;
mod members;
mod members_list;
mod metrics;
mod modules;
mod my_organizations;
mod new_organization;
mod ownership;
mod partners;
mod partnership_model;
mod partnerships;
mod passwords;
mod policy_matrix;
mod reinstating;
mod sessions;
mod web;
mod whole_changes;
