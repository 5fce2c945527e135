// The incident desk's mail to a reporter (desk.notify.reporter_email): a public reply by someone
// else, or the resolution, mailed to the address on the reporter's account (users.email) through
// the one email receiver the configuration names: its smarthost and sender, not its `to`. The
// payload carries the recipient ("to": [address]); SendEmail uses it instead of the receiver's.
//
// Nothing is mailed for internal notes, system messages, the reporter's own replies, imported
// incidents (their reporter is not a desk user), disabled users and users without an address.
//
// Thread safety: pure functions over the store's thread-safe reads.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "common/config.h"
#include "desk/desk_events.h"
#include "store/desk_store.h"
#include "store/incident_store.h"
#include "store/store.h"

namespace vigil::alerting {

// Whether `e` is one the reporter is mailed about (before looking at who they are).
bool MailsReporter(const desk::DeskEvent& e);

// The outbox message to `e`'s reporter, or nullopt when none is due (see above). Reads the
// incident, its reporter and the reply.
absl::StatusOr<std::optional<store::Notification>> ReporterMail(const ReceiverConfig& receiver,
                                                                 const DeskConfig& desk,
                                                                 const desk::DeskEvent& e,
                                                                 store::IncidentStore& incidents,
                                                                 store::DeskStore& users);

}  // namespace vigil::alerting
