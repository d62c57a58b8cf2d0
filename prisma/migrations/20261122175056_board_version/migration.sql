-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "boardVersion" INTEGER NOT NULL DEFAULT 0;
