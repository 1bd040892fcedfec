package sqldb

// SetBeforeIndexWrite makes fn run inside IndexTickets between reading
// tickets' text and writing the index: the window a reply can land in.
func (db *DB) SetBeforeIndexWrite(fn func()) { db.beforeIndexWrite = fn }

// SetTicketWindow sets the first id range of a PostgreSQL ticket search
// and returns a function that restores it.
func SetTicketWindow(n int64) func() {
	old := ticketWindow
	ticketWindow = n
	return func() { ticketWindow = old }
}
