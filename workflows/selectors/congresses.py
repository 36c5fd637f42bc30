"""The work a congress's lifecycle steps act on: its open tasks and documents, all of them.
Cancelling or handing a congress over is its leaders' (who see confidential work too), and the
step must end or move every piece of open work, so these reads are not filtered by the reader;
the page that previews a step is shown only to those who may take it."""

from django.db.models import QuerySet

from workflows.models import Document, Task


def open_tasks(congress) -> QuerySet[Task]:
    return Task.objects.filter(congress=congress, status__in=Task.OPEN_STATES)


def open_documents(congress) -> QuerySet[Document]:
    return Document.objects.filter(congress=congress).exclude(status__in=Document.FINAL_STATES)
