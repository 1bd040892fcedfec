package sqldb

// SetBeforeIndexWrite makes fn run inside IndexTickets between reading
// tickets' text and writing the index: the window a reply can land in.
func (db *DB) SetBeforeIndexWrite(fn func()) { db.beforeIndexWrite = fn }
