"""What belongs to staff and operators: PINs, the audit log, and the kiosk's settings.

Kept in ``admin.db``, apart from the content database (a content sync never touches it), with
``synchronous=FULL`` so a lockout counter or an audit entry survives a power cut.
"""
