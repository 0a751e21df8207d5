"""Invoices: lines, discounts and sales tax."""

from dataclasses import dataclass


@dataclass
class Line:
    description: str
    quantity: int
    unit_price: float


def invoice_total(lines, discount_rate=0.0, tax_rate=0.2):
    """The amount due: the lines' sum, less the discount, plus VAT."""
    subtotal = sum(l.quantity * l.unit_price for l in lines)
    discounted = subtotal * (1 - discount_rate)
    return round(discounted * (1 + tax_rate), 2)
