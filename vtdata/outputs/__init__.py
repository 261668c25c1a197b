"""What leaves the app: CSV export, the region profile (HTML, PDF), images, the notes, map classes."""
