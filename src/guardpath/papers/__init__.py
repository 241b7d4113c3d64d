"""Printable papers of a case as A4 PDFs, in Ukrainian or English: the contract draft, the
certificate of service and the citizenship application packet.

Plain Python over fpdf2: each paper is built from the case, the legislation and the wording of
one language; nothing here reads the database or knows who asked.
"""
