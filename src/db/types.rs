//! Domain enumerations as column types: each is stored as its text
//! (`Role::as_str`) and decoded with its `parse`. A value no variant spells is
//! a decode error naming the column's type and the value, so a bad row fails
//! the query that read it instead of vanishing from a list.

use crate::domain::access_request::AccessRequestStatus;
use crate::domain::audit::AuditAction;
use crate::domain::former_access::Departure;
use crate::domain::invitation::{Delivery, InvitationStatus};
use crate::domain::member::MembershipId;
use crate::domain::module::{self, Module};
use crate::domain::partnership::{PartnershipEvent, PartnershipStatus, Side};
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};
use uuid::Uuid;

/// `$ty` is stored as a `$column` (its type and compatibility are the column's).
macro_rules! stored_as {
    ($ty:ident, $column:ty) => {
        impl<DB: Database> Type<DB> for $ty
        where
            $column: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <$column as Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <$column as Type<DB>>::compatible(ty)
            }
        }
    };
}

macro_rules! text_enum {
    ($ty:ident) => {
        stored_as!($ty, str);

        impl<'r, DB: Database> Decode<'r, DB> for $ty
        where
            &'r str: Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&'r str as Decode<'r, DB>>::decode(value)?;
                $ty::parse(text)
                    .ok_or_else(|| format!("{} cannot be {text:?}", stringify!($ty)).into())
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $ty
        where
            String: Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <String as Encode<'q, DB>>::encode(self.as_str().to_owned(), buf)
            }
        }
    };
}

text_enum!(Role);
text_enum!(MembershipKind);
text_enum!(MemberStatus);
text_enum!(InvitationStatus);
text_enum!(AuditAction);
text_enum!(Delivery);
text_enum!(Departure);
text_enum!(AccessRequestStatus);
text_enum!(PartnershipStatus);
text_enum!(Side);
text_enum!(PartnershipEvent);

stored_as!(MembershipId, Uuid);

impl<'r, DB: Database> Decode<'r, DB> for MembershipId
where
    Uuid: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(MembershipId(<Uuid as Decode<'r, DB>>::decode(value)?))
    }
}

impl<'q, DB: Database> Encode<'q, DB> for MembershipId
where
    Uuid: Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <Uuid as Encode<'q, DB>>::encode_by_ref(&self.0, buf)
    }
}

/// The modules column: names joined by `;` ([`module::join_list`]). An unknown
/// name is a decode error, not a module silently dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Modules(pub Vec<Module>);

impl From<Modules> for Vec<Module> {
    fn from(modules: Modules) -> Self {
        modules.0
    }
}

stored_as!(Modules, str);

impl<'r, DB: Database> Decode<'r, DB> for Modules
where
    &'r str: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&'r str as Decode<'r, DB>>::decode(value)?;
        Ok(Modules(module::parse_list(text)?))
    }
}
