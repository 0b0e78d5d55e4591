"""`body__bytes_contains`: a byte string inside a BinaryField, on either backend.

Bodies that are not JSON (XML, plain text, odd encodings) have no parsed payload to
search; their raw bytes are searched instead. The match is exact, byte for byte (no
case folding: the body may not even be text).
"""

from __future__ import annotations

from django.db.models import BinaryField, Lookup


@BinaryField.register_lookup
class BytesContains(Lookup):
    lookup_name = "bytes_contains"

    def as_sql(self, compiler, connection):  # SQLite: instr() works on blobs
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"instr({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"position({rhs} in {lhs}) > 0", [*rhs_params, *lhs_params]
