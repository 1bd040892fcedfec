package hotline

import "time"

// ActionAttach records a file attached to a ticket (上传附件); it is taken
// by the attachment upload, not through the ticket actions.
const ActionAttach Action = "attach"

// Attachment is a photo or document attached to a ticket (at intake, with
// a repeat call, with a reply, or on its own). The file itself is stored
// sealed, apart from the row.
type Attachment struct {
	ID           int64     `json:"id"`
	TicketID     int64     `json:"ticket_id"`
	Name         string    `json:"name"`
	ContentType  string    `json:"content_type"` // sniffed from the bytes, never the client's word
	Size         int64     `json:"size"`
	HasThumbnail bool      `json:"has_thumbnail"`
	UploadedBy   int64     `json:"uploaded_by"`
	UploaderName string    `json:"uploader_name,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Image reports whether the attachment is a picture (shown as a thumbnail).
func (a *Attachment) Image() bool { return a.HasThumbnail }

// CanAttach reports whether the actor may attach files to the ticket now:
// the centre staff who take appeals, and the lead unit or the child unit it
// forwarded to, while the ticket is not archived, merged or cancelled.
func (a Actor) CanAttach(t *Ticket) bool {
	if !a.CanSeeTicket(t) {
		return false
	}
	switch t.Status {
	case StatusArchived, StatusMerged, StatusCancelled:
		return false
	}
	if a.Role == RoleUnit {
		return t.LeadUnitID == a.UnitID || t.IsSubUnit(a)
	}
	return a.Role.Can(ActionAccept)
}
