package sqldb

// SetBeforeIndexWrite makes fn run inside IndexTickets between reading
// tickets' text and writing the index: the window a reply can land in.
func (db *DB) SetBeforeIndexWrite(fn func()) { db.beforeIndexWrite = fn }

// SetTicketWindow sets the first id range of a PostgreSQL ticket search
// and returns a function that restores it.
func (db *DB) SetTicketWindow(n int64) func() {
	old := db.ticketWindow
	db.ticketWindow = n
	return func() { db.ticketWindow = old }
}

// WriterSynchronous is the SQLite writer connection's synchronous
// setting (2: FULL), or -1 on PostgreSQL.
func (db *DB) WriterSynchronous() int {
	if db.dialect == postgres {
		return -1
	}
	var n int
	db.write.QueryRow(`PRAGMA synchronous`).Scan(&n)
	return n
}

// SetKBMemory turns the knowledge base's in-memory index on or off (off:
// searches rank with the database's index).
func (db *DB) SetKBMemory(on bool) { db.kbMem.off = !on }

// TSVectorLexemes exposes the tsvector reader to tests.
var TSVectorLexemes = tsvectorLexemes
