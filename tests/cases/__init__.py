"""Cases from application to citizenship: the domain, the services, storage on two backends."""
