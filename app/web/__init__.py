"""What the routers share: page pieces (contexts, forms, the board's areas, the care page), the
API's documented answers, cached reads. Routers import from here, never from each other."""
