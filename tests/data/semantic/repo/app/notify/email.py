"""Customer notifications by e-mail."""

import smtplib
from email.message import EmailMessage


def send_order_confirmation(smtp_host, sender, recipient, order_id):
    msg = EmailMessage()
    msg["Subject"] = f"Your order {order_id}"
    msg["From"] = sender
    msg["To"] = recipient
    msg.set_content(f"Thank you! Order {order_id} is on its way.")
    with smtplib.SMTP(smtp_host) as smtp:
        smtp.send_message(msg)
