-- AlterTable
ALTER TABLE "EmailOutbox" ADD COLUMN     "recipientOnly" BOOLEAN NOT NULL DEFAULT false;
